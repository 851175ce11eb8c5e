"""The account's e-mail page (allauth's, in our words) in French and Arabic: addresses read left to right inside
right-to-left text, badges and buttons translated, and its messages isolate the address they name."""

import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages

from apps.core.formatting import FSI, PDI
from apps.core.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PRIMARY, OTHER = "karim.benali@example.org", "k.benali@example.net"

ENGLISH = ("Email Addresses", "Verified", "Unverified", "Primary", "Make Primary", "Re-send", "Remove", "Add Email")


@pytest.fixture
def member(client):
    def signed_in(language: str):
        user = user_with_role(Role.MEMBER, preferred_language=language, email=PRIMARY)
        EmailAddress.objects.filter(user=user).delete()
        EmailAddress.objects.create(user=user, email=PRIMARY, primary=True, verified=True)
        EmailAddress.objects.create(user=user, email=OTHER, primary=False, verified=False)
        client.force_login(user)
        return user

    return signed_in


def page_text(response) -> str:
    main = html.unescape(response.content.decode()).split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Adresses e-mail", "Vérifiée", "Non vérifiée", "Principale", "Rendre principale", "Retirer"]),
        ("ar", ["عناوين البريد الإلكتروني", "موثَّق", "غير موثَّق", "الرئيسي", "اجعله الرئيسي", "حذف"]),
    ],
)
def test_the_page_speaks_the_members_language(client, member, language, words):
    member(language)
    text = page_text(client.get(f"/{language}/accounts/email/"))
    for word in words:
        assert word in text
    assert [word for word in ENGLISH if re.search(rf"\b{word}\b", text)] == []


def test_each_address_reads_left_to_right_inside_the_arabic_page(client, member):
    member("ar")
    page = client.get("/ar/accounts/email/").content.decode()
    assert 'dir="rtl"' in page
    addresses = re.findall(r'<span dir="ltr"[^>]*data-testid="address">([^<]+)</span>', page)
    assert sorted(addresses) == sorted([PRIMARY, OTHER])


def test_the_primary_and_verified_badges_belong_to_their_address(client, member):
    member("fr")
    page = client.get("/fr/accounts/email/").content.decode()
    rows = {
        re.search(r'data-testid="address">([^<]+)<', row).group(1): row
        for row in page.split('data-testid="email-address"')[1:]
    }
    assert "Principale" in rows[PRIMARY] and "Vérifiée" in rows[PRIMARY]
    assert "Principale" not in rows[OTHER] and "Non vérifiée" in rows[OTHER]


def test_removing_the_primary_address_is_refused_with_the_address_isolated_in_arabic(client, member):
    member("ar")
    response = client.post("/ar/accounts/email/", {"action_remove": "", "email": PRIMARY})
    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert message == f"{FSI}{PRIMARY}{PDI} هو عنوانك الرئيسي: اجعل عنوانًا آخر رئيسيًا قبل حذفه."


def test_removing_another_address_says_so_in_french_and_keeps_the_primary(client, member):
    user = member("fr")
    response = client.post("/fr/accounts/email/", {"action_remove": "", "email": OTHER}, follow=True)
    assert f"L’adresse {FSI}{OTHER}{PDI} a été retirée de votre compte." in html.unescape(response.content.decode())
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [PRIMARY]


def test_an_unverified_address_cannot_become_primary_and_the_member_is_told_why(client, member):
    member("ar")
    response = client.post("/ar/accounts/email/", {"action_primary": "", "email": OTHER}, follow=True)
    assert "لا يكون رئيسيًا إلا عنوان موثَّق." in html.unescape(response.content.decode())
    assert EmailAddress.objects.get(email=PRIMARY).primary


def test_a_wrong_address_to_add_keeps_what_was_typed_and_says_what_is_wrong_in_french(client, member):
    member("fr")
    response = client.post("/fr/accounts/email/", {"action_add": "", "email": "karim@"})
    page = html.unescape(response.content.decode())
    assert 'value="karim@"' in page
    assert "Saisissez une adresse e-mail valide." in page
