"""The Display classes draw what the estimator computed."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from sklearn_seqae import (  # noqa: E402
    LSTMAnomalyDetector,
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
)
from sklearn_seqae.plotting import (  # noqa: E402
    AttentionDisplay,
    ReconstructionDisplay,
    TrainingCurveDisplay,
)


@pytest.fixture(scope="module")
def fitted():
    X = np.sin(np.linspace(0, 3, 8) + np.arange(12)[:, None])
    ae = LSTMAutoencoderTransformer(
        units=4, epochs=3, validation_fraction=0.25, random_state=0
    )
    return ae.fit(X), X


def test_reconstruction_display_plots_inputs_and_reconstructions(fitted):
    ae, X = fitted
    ragged = [X[0], X[1, :5], X[2, :6]]
    display = ReconstructionDisplay.from_estimator(ae, ragged, n_sequences=2)
    assert len(display.axes_) == 2
    expected = ae.reconstruct(ragged[:2])
    for axis, seq, rec in zip(display.axes_, ragged, expected, strict=False):
        solid, dashed = axis.get_lines()
        np.testing.assert_allclose(solid.get_ydata(), seq)
        np.testing.assert_allclose(dashed.get_ydata(), rec, rtol=1e-5, atol=1e-6)
    plt.close(display.figure_)


@pytest.mark.parametrize("shape", [(1, 3), (2, 2)])
def test_reconstruction_display_draws_on_given_axes(fitted, shape):
    ae, X = fitted
    fig, axes = plt.subplots(*shape)
    n = axes.size
    display = ReconstructionDisplay.from_estimator(ae, X, n_sequences=n, ax=axes)
    assert display.figure_ is fig
    assert all(len(a.get_lines()) == 2 for a in axes.ravel())
    plt.close(fig)


def test_training_curve_display_plots_every_history_entry(fitted):
    ae, _ = fitted
    display = TrainingCurveDisplay.from_estimator(ae)
    lines = {line.get_label(): line for line in display.ax_.get_lines()}
    assert set(lines) == set(ae.history_) >= {"loss", "val_loss"}
    for name, line in lines.items():
        np.testing.assert_allclose(line.get_ydata(), ae.history_[name])
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
    plt.close(display.figure_)


def test_training_curve_of_a_detector_is_its_autoencoders():
    X = np.sin(np.linspace(0, 3, 8) + np.arange(12)[:, None])
    detector = LSTMAnomalyDetector(units=2, epochs=2, random_state=0).fit(X)
    display = TrainingCurveDisplay.from_estimator(detector)
    assert display.history == detector.autoencoder_.history_
    plt.close(display.figure_)


@pytest.mark.no_model
def test_displays_need_a_fitted_estimator():
    from sklearn.exceptions import NotFittedError

    for unfitted in (LSTMAutoencoderTransformer(), LSTMAnomalyDetector()):
        with pytest.raises(NotFittedError):
            TrainingCurveDisplay.from_estimator(unfitted)


@pytest.mark.parametrize("labels", [np.array([0, 1]), np.array(["neg", "pos"])])
def test_attention_display_of_one_label_per_sequence(labels):
    X = np.random.RandomState(0).normal(size=(20, 6))
    y = labels[(X.mean(axis=1) > 0).astype(int)]
    clf = Seq2SeqClassifier(attention="dot", units=4, epochs=1, random_state=0)
    display = AttentionDisplay.from_estimator(clf.fit(X, y), X[0])
    assert display.weights.shape == (1, 6)
    np.testing.assert_allclose(display.weights.sum(axis=1), 1.0, rtol=1e-5)
    assert display.output_labels == [str(clf.predict(X[:1])[0])]
    shown = [t.get_text() for t in display.ax_.get_yticklabels()]
    assert shown == display.output_labels
    plt.close("all")
