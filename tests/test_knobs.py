import pytest

from going_deeper import KnobError, check_knob, check_knobs


def test_good_values_are_confirmed_in_one_line(capsys):
    assert check_knobs(epochs=3, n_train=12_000, seed=0, batch_size=128) is None
    assert capsys.readouterr().out == (
        "Knobs OK: epochs = 3, n_train = 12,000, seed = 0, batch_size = 128\n"
    )


def test_a_good_value_passes_through():
    assert check_knob("n_train", 54_000) == 54_000


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("epochs", -1, "epochs = -1 is out of range"),
        ("epochs", 0, "epochs = 0 is out of range"),
        ("n_train", 60_001, "n_train = 60001 is out of range"),
        ("n_train", 2.5, "n_train = 2.5 is not a whole number"),
        ("seed", "abc", "seed = 'abc' is not a whole number"),
        ("batch_size", True, "batch_size = True is not a whole number"),
    ],
)
def test_bad_values_name_the_knob_and_its_range(name, value, expected):
    with pytest.raises(KnobError) as err:
        check_knob(name, value)
    assert expected in str(err.value)
    assert f"Set {name} to a whole number from" in str(err.value)
    assert f"-p {name} VALUE" in str(err.value)


def test_range_is_spelled_out():
    with pytest.raises(KnobError, match="from 100 to 54,000"):
        check_knobs(n_train=10)


def test_jupyter_shows_one_line_not_a_traceback():
    err = KnobError("epochs = -1 is out of range.")
    lines = err._render_traceback_()
    assert len(lines) == 1 and "KnobError" in lines[0] and "epochs = -1" in lines[0]
