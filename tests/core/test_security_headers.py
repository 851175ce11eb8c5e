import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/ar/", "/accounts/login/", "/api/docs/"])
def test_html_pages_carry_a_csp_without_inline_scripts(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_blocks(client):
    for path in ["/", "/fr/", "/ar/", "/accounts/login/", "/accounts/signup/", "/api/docs/"]:
        html = client.get(path).content.decode()
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag or 'type="application/json"' in tag, f"inline script on {path}"
