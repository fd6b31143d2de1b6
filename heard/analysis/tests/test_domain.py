import pytest

from heard.analysis import domain


def test_run_lifecycle_allows_only_forward_moves():
    domain.check_transition("queued", "running")
    domain.check_transition("running", "done")
    domain.check_transition("running", "failed")
    with pytest.raises(domain.TransitionNotAllowed):
        domain.check_transition("done", "running")
    with pytest.raises(domain.TransitionNotAllowed):
        domain.check_transition("queued", "done")
    with pytest.raises(domain.TransitionNotAllowed):
        domain.check_transition("failed", "queued")


def test_percent_is_bounded():
    assert domain.percent(0, 0) == 0
    assert domain.percent(1, 3) == 33
    assert domain.percent(5, 3) == 100


def test_agreement_percent_and_kappa():
    # 10 answers: both yes 4, neither 4, machine only 1, people only 1.
    pairs = [(True, True)] * 4 + [(False, False)] * 4 + [(True, False), (False, True)]
    a = domain.agreement("Waiting", pairs)
    assert (a.answers, a.both, a.machine_only, a.people_only, a.neither) == (10, 4, 1, 1, 4)
    assert a.percent == 80.0
    # p_o = 0.8, p_e = 0.5*0.5 + 0.5*0.5 = 0.5 -> kappa 0.6
    assert a.kappa == 0.6


def test_kappa_undefined_when_everyone_always_says_no():
    a = domain.agreement("Parking", [(False, False)] * 5)
    assert a.percent == 100.0
    assert a.kappa is None
    assert domain.agreement("None", []).percent is None


def test_training_sample_is_bounded_fixed_for_a_seed_and_in_order():
    assert domain.training_sample(5, 10, seed=1) == [0, 1, 2, 3, 4]
    a = domain.training_sample(1000, 50, seed=7)
    assert len(a) == 50 == len(set(a)) and a == sorted(a) and all(0 <= i < 1000 for i in a)
    assert a == domain.training_sample(1000, 50, seed=7)
    assert a != domain.training_sample(1000, 50, seed=8)
