"""Shared by the API tests: calling the API with a user's personal token."""

import pytest

from fourfirsts.accounts import services as accounts


@pytest.fixture
def api(client, settings):
    """api(user).get(path, **query) → the response, with the user's personal token."""
    settings.FOURFIRSTS_API_RATE = "0"
    tokens = {}

    class Caller:
        def __init__(self, user):
            if user.pk not in tokens:
                tokens[user.pk] = accounts.token_create(user=user, name="测试")[1]
            self.auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"}

        def get(self, path, **query):
            return client.get("/api/v1" + path, query, **self.auth)

    return Caller
