"""Staff sign-in: password, then a TOTP code; lock-out; session safety; audited."""

import pytest
from django.conf import settings
from django.urls import reverse

from heard.accounts.tests.factories import PASSWORD, totp_code
from heard.audit.models import Action, AuditEvent
from heard.core.roles import Role

pytestmark = pytest.mark.django_db


def _password_step(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def test_staff_sign_in_needs_password_then_a_code(client, make_staff):
    user = make_staff(Role.ANALYST)
    response = _password_step(client, user)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    # The password alone opens nothing.
    assert client.get(reverse("staff:dashboard")).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "There is a problem" in wrong.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert response.status_code == 302 and response["Location"] == reverse("staff:dashboard")
    assert client.get(reverse("staff:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.USER_SIGNED_IN, actor_id=user.pk).exists()


def test_staff_without_an_authenticator_must_set_one_up(client, make_staff):
    user = make_staff(Role.ADMINISTRATOR, totp=False)
    _password_step(client, user)
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    # Turning on two-factor asks for the password again (allauth's reauthentication).
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "Set up two-factor authentication" in page.content.decode()
    # Still locked out of staff pages until the app is set up.
    assert client.get(reverse("audit:events"))["Location"] == reverse("mfa_activate_totp")


def test_staff_cannot_switch_two_factor_off(client, make_staff):
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    user = make_staff(Role.ANALYST)
    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert get_adapter().can_delete_authenticator(auth) is False


def test_member_of_public_cannot_use_the_staff_sign_in(client, make_member):
    # (It used to let them in without a second factor; see test_members_not_staff.)
    member = make_member()
    response = _password_step(client, member)
    assert response.status_code == 200 and "This sign-in is for staff" in response.content.decode()


def test_wrong_password_ten_times_locks_the_account(client, make_staff):
    user = make_staff()
    bodies = [_password_step(client, user, "wrong-password").content.decode() for _ in range(10)]
    # Every attempt gets the form back with a clear error; from the sixth, the lock-out.
    assert all("There is a problem" in b for b in bodies)
    assert not any("Too many failed login attempts" in b for b in bodies[:5])
    assert all("Too many failed login attempts" in b for b in bodies[5:])
    locked = _password_step(client, user)  # even the right password is refused now
    assert "Too many failed login attempts. Try again later." in locked.content.decode()
    assert client.get(reverse("staff:dashboard")).status_code == 302
    assert (
        AuditEvent.objects.filter(
            action=Action.USER_SIGN_IN_FAILED, subject_id=str(user.pk)
        ).count()
        >= 5
    )
    assert user.email not in str(list(AuditEvent.objects.values_list("after", flat=True)))


def test_wrong_password_message_is_clear_and_does_not_reveal_accounts(client, make_staff):
    user = make_staff()
    response = _password_step(client, user, "nope-nope-nope")
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "email address and/or password you specified are not correct" in body


def test_tampered_session_cookie_is_treated_as_signed_out(client, make_staff):
    user = make_staff()
    client.force_login(user)
    assert client.get(reverse("staff:dashboard")).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.cookies[settings.SESSION_COOKIE_NAME] = key[:-4] + "abcd"
    response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sessions_expire_after_inactivity_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_sign_out_ends_the_session(client, make_staff):
    user = make_staff()
    client.force_login(user)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("staff:dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.USER_SIGNED_OUT, actor_id=user.pk).exists()


def test_public_sign_up_form_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "Sign Up Closed" in response.content.decode() or response.status_code in (403, 404)


def test_wrong_two_factor_codes_and_the_lock_out_are_audited(client, make_staff):
    user = make_staff(Role.ADMINISTRATOR)
    _password_step(client, user)
    for _ in range(6):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    reasons = list(
        AuditEvent.objects.filter(
            action=Action.USER_SIGN_IN_FAILED, subject_id=str(user.pk)
        ).values_list("after__reason", flat=True)
    )
    assert reasons.count("wrong two-factor code") == 5
    assert "locked out: too many failed attempts (two-factor code)" in reasons


def test_a_password_lock_out_is_audited(client, make_staff):
    user = make_staff()
    for _ in range(6):
        _password_step(client, user, "wrong-password")
    assert AuditEvent.objects.filter(
        action=Action.USER_SIGN_IN_FAILED,
        subject_id=str(user.pk),
        after__reason="locked out: too many failed attempts (password)",
    ).exists()
