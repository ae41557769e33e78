"""scikit-learn's own estimator checks, run over every public estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_seqae import LSTMAutoencoderTransformer

# 2-D X is read as (n_samples, n_timesteps) univariate sequences, so
# n_features_in_ counts features per time step (1 here), and the sequence
# length may change after fit. These checks assume columns are features.
_COLUMNS_ARE_TIME_STEPS = (
    "2-D X holds univariate sequences: its columns are time steps, not features; "
    "n_features_in_ is the number of features per step and sequences may be "
    "longer or shorter after fit."
)
EXPECTED_FAILED_CHECKS = {
    "check_n_features_in": _COLUMNS_ARE_TIME_STEPS,
    "check_n_features_in_after_fitting": _COLUMNS_ARE_TIME_STEPS,
    # Also asserts that a different number of 2-D columns raises at transform.
    "check_transformer_general": _COLUMNS_ARE_TIME_STEPS,
}


def _small(estimator):
    return estimator.set_params(units=4, epochs=2, batch_size=16, random_state=0)


@parametrize_with_checks(
    [_small(LSTMAutoencoderTransformer())],
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
