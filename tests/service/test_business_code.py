"""The 营商码 itself: PNG and SVG downloads, the printable poster, links that
cannot be guessed, and who may get an organisation's code."""

import io
from datetime import date

import pytest
import segno
from django.core import signing
from django.urls import reverse

from fourfirsts.registry.models import EnterpriseMembership
from fourfirsts.service.services import intake


def code_urls(kind, pk):
    return {fmt: reverse(f"service:business_code_{fmt}", kwargs={"kind": kind, "pk": pk})
            for fmt in ("png", "svg", "poster")}


def poster_link(page: str) -> str:
    """The intake link the poster prints under the code."""
    return page.split('class="poster-url text-break">')[1].split("<")[0].strip()


def test_png_and_svg(client_for, cast, world):
    client = client_for(cast.committee)
    urls = code_urls("association", world.assoc_a.pk)
    png = client.get(urls["png"])
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = client.get(urls["svg"])
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_the_png_encodes_the_posters_link(client_for, cast, world):
    client = client_for(cast.committee)
    urls = code_urls("enterprise", world.ent_a.pk)
    link = poster_link(client.get(urls["poster"]).content.decode())
    expected = io.BytesIO()
    segno.make(link, error="m").save(expected, kind="png", scale=12, border=4)
    assert client.get(urls["png"]).content == expected.getvalue()


def test_poster_is_a_printable_a4_page(client_for, cast, world):
    client = client_for(cast.committee)
    urls = code_urls("association", world.assoc_a.pk)
    page = client.get(urls["poster"]).content.decode()
    assert world.assoc_a.name in page
    assert f'src="{urls["svg"]}"' in page
    assert "扫描上方二维码" in page and "统一社会信用代码" in page
    assert "service-public.css" in page and "style=" not in page


@pytest.mark.parametrize("kind, prefilled", [("association", "id_uscc"), ("enterprise", "intake-enterprise")])
def test_posters_link_opens_the_right_form(client_for, cast, world, kind, prefilled):
    record = world.assoc_a if kind == "association" else world.ent_a
    link = poster_link(client_for(cast.committee).get(code_urls(kind, record.pk)["poster"]).content.decode())
    anonymous = client_for(None)
    page = anonymous.get(link).content.decode()
    assert record.name in page and f'id="{prefilled}"' in page
    if kind == "enterprise":
        assert world.assoc_a.name in page and 'id="id_uscc"' not in page


def test_links_cannot_be_guessed(client, world):
    token = intake.code_token("a", world.assoc_a.pk)
    assert intake.code_token("a", world.assoc_a.pk) == token  # a reprinted poster keeps working
    assert str(world.assoc_a.pk) not in token.rsplit(":", 1)[1]
    forged = [
        intake.code_token("a", world.assoc_b.pk).rsplit(":", 1)[0] + ":" + token.rsplit(":", 1)[1],
        signing.Signer().sign_object(["a", world.assoc_a.pk]),  # without the salt
        signing.Signer(salt="agenda.meeting-sign-in").sign_object(["a", world.assoc_a.pk]),
        # the enterprise code's signature under an association payload with the same pk
        intake.code_token("a", world.ent_a.pk).rsplit(":", 1)[0] + ":"
        + intake.code_token("e", world.ent_a.pk).rsplit(":", 1)[1],
    ]
    for bad in forged:
        assert client.get(reverse("service:intake", args=[bad])).status_code == 404


def test_secretary_gets_codes_of_own_associations_and_current_members(client_for, cast, world):
    client = client_for(cast.secretary_a)
    assert client.get(code_urls("association", world.assoc_a.pk)["png"]).status_code == 200
    assert client.get(code_urls("enterprise", world.ent_a.pk)["png"]).status_code == 200
    assert client.get(code_urls("association", world.assoc_b.pk)["png"]).status_code == 404
    assert client.get(code_urls("enterprise", world.ent_b.pk)["svg"]).status_code == 404
    EnterpriseMembership.objects.filter(enterprise=world.ent_a).update(until=date(2021, 12, 31))
    assert client.get(code_urls("enterprise", world.ent_a.pk)["poster"]).status_code == 404


@pytest.mark.parametrize("who", ["leader", "instructor", "member_a", "handler", "sysadmin"])
def test_other_roles_get_no_codes(client_for, cast, world, who):
    client = client_for(getattr(cast, who))
    assert client.get(code_urls("enterprise", world.ent_a.pk)["svg"]).status_code == 403


def test_unknown_kind_is_404(client_for, cast, world):
    url = reverse("service:business_code_png", kwargs={"kind": "party_org", "pk": world.org_a.pk})
    assert client_for(cast.committee).get(url).status_code == 404


def test_poster_queries_are_bounded(client_for, cast, world, django_assert_max_num_queries):
    client = client_for(cast.secretary_a)
    with django_assert_max_num_queries(13):
        assert client.get(code_urls("enterprise", world.ent_a.pk)["poster"]).status_code == 200


def test_registry_pages_link_the_code_for_those_who_hand_it_out(cast, world, client):
    from django.urls import reverse

    poster = reverse("service:business_code_poster", args=["enterprise", world.ent_a.pk])
    page = reverse("registry:enterprise_detail", args=[world.ent_a.pk])
    for who, shown in (("committee", True), ("secretary_a", True), ("leader", False), ("instructor", False)):
        client.force_login(getattr(cast, who))
        assert (poster in client.get(page).content.decode()) is shown, who
