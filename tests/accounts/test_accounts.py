"""Accounts managed in the portal: invitations, passwords, resets, the Användare page."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from portal.models import AccountToken, AuditEntry, User, UserSession
from tests.helpers import AuthActions, csrf_token

NEW_PASSWORD = "lingon-fjäll-kanot-42"  # noqa: S105 - test value
FORGOT = "/konto/glomt-losenord"

def _invite(client, email="ny.person@region.example", role="forum_member", person=""):
    return client.post("/anvandare/bjud-in", data={
        "email": email, "role": role, "person": person, "language": "sv",
        "csrf_token": csrf_token(client, "/anvandare/bjud-in")})


def test_invite_set_password_and_sign_in(app, client, auth, signed_in, smtp, db):
    """The whole journey: an admin invites, the mail's link sets a password, the person signs in."""
    signed_in("admin")
    assert _invite(client).status_code == 302
    [mail] = smtp.to("ny.person@region.example")
    assert mail["Subject"] == "Du är inbjuden till Samverkansportalen"
    assert "72 timmar" in smtp.text(mail) and "https://samverkan.example.se/konto/inbjudan/" in (
        smtp.text(mail))
    assert "<a href=\"https://samverkan.example.se/konto/inbjudan/" in smtp.html(mail)
    user = db.session.scalar(select(User).where(User.email == "ny.person@region.example"))
    assert user.password_hash is None and user.role == "forum_member"
    auth.logout()

    link = smtp.link(mail, "/konto/inbjudan/")
    response = client.post(link, data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                       "csrf_token": csrf_token(client, link)})
    assert response.status_code == 302
    assert auth.login("ny.person@region.example", NEW_PASSWORD).status_code == 302
    # The link worked once.
    assert client.get(link).status_code == 410
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"create", "invite", "password_set", "login"} <= set(actions)


def test_invite_refuses_an_address_that_is_not_one(client, signed_in, smtp, db):
    signed_in("admin")
    response = _invite(client, email="inte en adress")
    assert response.status_code == 422
    assert "inte en giltig e-postadress" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "inte en adress")) is None
    assert smtp.messages == []


def test_invite_refuses_an_address_that_differs_only_in_case(client, signed_in, make_user, smtp):
    make_user("viewer", email="anna@region.example")
    signed_in("admin")
    response = _invite(client, email="ANNA@Region.example")
    assert response.status_code == 422
    assert "finns redan" in response.get_data(as_text=True)


def test_expired_invitation_is_refused(app, client, signed_in, auth, smtp, db):
    signed_in("admin")
    _invite(client)
    link = smtp.link(smtp.messages[0], "/konto/inbjudan/")
    row = db.session.scalar(select(AccountToken))
    row.expires_at = row.created_at - timedelta(seconds=1)
    db.session.commit()
    auth.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "har gått ut" in response.get_data(as_text=True)


def test_weak_password_is_refused_with_the_rule(client, signed_in, auth, smtp, db):
    signed_in("admin")
    _invite(client)
    link = smtp.link(smtp.messages[0], "/konto/inbjudan/")
    auth.logout()
    for weak, rule in (("kort-ord", "minst 12 tecken"),
                       ("qwerty123456", "vanligaste lösenorden")):
        response = client.post(link, data={"new": weak, "confirm": weak,
                                           "csrf_token": csrf_token(client, link)})
        assert response.status_code == 422
        assert rule in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "ny.person@region.example"))
    assert user.password_hash is None
    assert db.session.scalar(select(AccountToken.used_at)) is None


def test_reset_does_not_reveal_whether_the_address_exists(client, make_user, smtp):
    make_user("viewer", email="finns@region.example")
    answers = []
    for address in ("finns@region.example", "finns-inte@region.example"):
        response = client.post("/konto/glomt-losenord", data={
            "email": address, "csrf_token": csrf_token(client, FORGOT)})
        page = response.get_data(as_text=True).replace(address, "")
        # The CSRF tokens carry a timestamp; everything else must be the same.
        answers.append((response.status_code, re.sub(r"<[^>]*csrf[^>]*>", "", page)))
    assert answers[0] == answers[1]
    assert [m["To"] for m in smtp.messages] == ["finns@region.example"]


def test_reset_link_works_once_and_ends_other_sessions(app, client, make_user, smtp, db):
    user = make_user("viewer", email="glomsk@region.example")
    other = app.test_client()
    AuthActions(other).login(user.email)
    assert other.get("/").status_code == 200
    client.post("/konto/glomt-losenord", data={
        "email": "glomsk@region.example", "csrf_token": csrf_token(client, FORGOT)})
    link = smtp.link(smtp.messages[0], "/konto/aterstall/")
    token = csrf_token(client, link)
    assert client.post(link, data={"new": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                   "csrf_token": token}).status_code == 302
    assert other.get("/").status_code == 302  # signed out there
    again = client.post(link, data={"new": NEW_PASSWORD + "x", "confirm": NEW_PASSWORD + "x",
                                    "csrf_token": token})
    assert again.status_code == 410
    assert AuthActions(client).login(user.email, NEW_PASSWORD).status_code == 302


def test_change_own_password_needs_the_current_one(app, client, auth, signed_in, db):
    user = signed_in("viewer")
    other = app.test_client()
    AuthActions(other).login(user.email)
    wrong = client.post("/konto/losenord", data={
        "current": "not-it", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "csrf_token": csrf_token(client, "/konto/losenord")})
    assert wrong.status_code == 422
    assert "nuvarande lösenordet är fel" in wrong.get_data(as_text=True)
    from tests.helpers import PASSWORD

    right = client.post("/konto/losenord", data={
        "current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "csrf_token": csrf_token(client, "/konto/losenord")})
    assert right.status_code == 302
    assert client.get("/").status_code == 200  # this session stays
    assert other.get("/").status_code == 302  # the other ended
    auth.logout()
    assert auth.login(user.email, NEW_PASSWORD).status_code == 302


def test_users_page_is_for_admins_only(client, signed_in):
    signed_in("leadership")
    assert client.get("/anvandare").status_code == 403
    assert client.post("/anvandare/bjud-in", data={}).status_code in (400, 403)


def test_admin_lists_searches_changes_disables_and_signs_out(app, client, signed_in,
                                                            make_user, db):
    target = make_user("viewer", email="kalle@region.example")
    make_user("viewer", email="lisa@region.example")
    target_client = app.test_client()
    AuthActions(target_client).login(target.email)
    signed_in("admin")
    page = client.get("/anvandare?q=KALLE").get_data(as_text=True)
    assert "kalle@region.example" in page and "lisa@region.example" not in page

    path = f"/anvandare/{target.id}"
    response = client.post(path, data={"role": "commission_lead", "person": "no-such-key",
                                       "csrf_token": csrf_token(client, path)})
    assert response.status_code == 422 and "no-such-key" in response.get_data(as_text=True)
    response = client.post(path, data={"role": "commission_lead", "person": "",
                                       "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.role == "commission_lead"

    client.post(f"{path}/logga-ut", data={"csrf_token": csrf_token(client, path)})
    assert target_client.get("/").status_code == 302
    client.post(f"{path}/inaktivera", data={"csrf_token": csrf_token(client, path)})
    db.session.refresh(target)
    assert not target.is_enabled
    assert AuthActions(target_client).login(target.email).status_code == 401
    client.post(f"{path}/aktivera", data={"csrf_token": csrf_token(client, path)})
    assert AuthActions(target_client).login(target.email).status_code == 302
    audited = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity_type == "user", AuditEntry.entity_key == str(target.id))).all()
    assert audited.count("update") >= 3 and "sign_out_everywhere" in audited
    assert db.session.scalar(select(UserSession).where(
        UserSession.user_id == target.id, UserSession.ended_at.is_(None))) is not None


def test_flask_demo_refuses_in_production(app, runner, monkeypatch, db):
    """No narvard-demo accounts in production."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert db.session.scalars(select(User)).all() == []


def test_without_mail_server_mails_go_to_the_log(app, client, make_user, caplog):
    """In development without MAIL_SERVER the reset mail is written to the log."""
    make_user("viewer", email="logg@region.example")
    app.config["MAIL_SERVER"] = None
    with caplog.at_level("WARNING", logger="portal.mail"):
        client.post("/konto/glomt-losenord", data={
            "email": "logg@region.example", "csrf_token": csrf_token(client, FORGOT)})
    assert "logg@region.example" in caplog.text and "/konto/aterstall/" in caplog.text


def test_mail_follows_the_language_the_person_chose(client, auth, make_user, smtp, db):
    """Switching the portal to English also makes the person's mail English."""
    user = make_user("viewer", email="english@region.example")
    auth.login(user.email)
    client.post("/language", data={"lang": "en", "next": "/",
                                   "csrf_token": csrf_token(client, "/")})
    auth.logout()
    client.post("/konto/glomt-losenord", data={
        "email": user.email, "csrf_token": csrf_token(client, FORGOT)})
    [mail] = smtp.to(user.email)
    assert mail["Subject"] == "Choose a new password for Samverkansportalen"
    assert mail["Content-Language"] == "en"


def test_invitation_without_password_sign_in_points_to_the_region(app, client, signed_in, smtp,
                                                                 db):
    """With PASSWORD_LOGIN=off the invited person gets no password link, only sign-in."""
    signed_in("admin")
    app.config["PASSWORD_LOGIN"] = False
    assert _invite(client).status_code == 302
    text = smtp.text(smtp.messages[0])
    assert "/konto/inbjudan/" not in text
    assert "https://samverkan.example.se/login" in text and "regionens konto" in text
    assert db.session.scalars(select(AccountToken)).all() == []
