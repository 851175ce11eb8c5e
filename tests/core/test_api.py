import pytest
from rest_framework.test import APIClient

from apps.core.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def assert_error_shape(body, code=None):
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    if code:
        assert body["error"]["code"] == code


def test_the_api_denies_anonymous_callers_with_the_error_shape():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert_error_shape(response.json(), "not_authenticated")


def test_token_authentication_works_for_other_systems():
    user = user_with_role(Role.ANALYST)
    from apps.accounts.api_tokens import api_token_issue

    _token, raw = api_token_issue(user=user, name="Statistics office", scope="read", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = client.get("/api/v1/me/").json()
    assert body["email"] == user.email and body["roles"] == ["analyst"]


def test_validation_errors_name_the_field():
    user = user_with_role(Role.MEMBER)
    client = APIClient()
    client.force_authenticate(user)
    response = client.patch("/api/v1/me/", {"preferred_language": "xx"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, "invalid")
    assert "preferred_language" in body["error"]["fields"]


def test_unknown_api_paths_answer_404_in_the_error_shape(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


def test_malformed_json_is_a_400_not_a_500():
    client = APIClient()
    client.force_authenticate(user_with_role(Role.MEMBER))
    response = client.generic("PATCH", "/api/v1/me/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert_error_shape(response.json())


def test_schema_and_self_hosted_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/me/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html and "cdn" not in html.lower()


def test_a_nul_character_in_a_query_is_a_400_in_the_callers_language_not_a_database_error(client):
    user = user_with_role(Role.OFFICE_STAFF, preferred_language="fr")
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/v1/taxonomy/education-levels/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert_error_shape(response.json(), "invalid")
    client.force_login(user)
    page = client.get("/fr/skills/staff/search/", {"q": "a\x00b"})
    assert page.status_code == 400


def test_every_operation_documents_its_errors_in_the_one_error_shape():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"error"}
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    ]
    assert len(operations) > 50
    for path, method, operation in operations:
        for code in ("400", "403", "404", "429"):
            response = operation["responses"][code]
            assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (
                path,
                method,
                code,
            )
        if method in ("post", "put", "patch"):
            assert "409" in operation["responses"] and "415" in operation["responses"], (path, method)
