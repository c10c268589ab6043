"""The ``mockscim_app`` handle: an in-process mock with no socket."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from mockscim.control.client import Control
from mockscim.engine.mock import Mock
from mockscim.http.context import mock_of


class InProcessMock(Control):
    """The ``mockscim_app`` handle: a Flask test client with the control handles."""

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        self.app = app
        self.client: FlaskClient = app.test_client()
        self.get = self.client.get
        self.post = self.client.post
        self.put = self.client.put
        self.patch = self.client.patch
        self.delete = self.client.delete
        self.open = self.client.open

    @property
    def mock(self) -> Mock:
        return mock_of(self.app)

    def test_client(self) -> FlaskClient:
        return self.app.test_client()


# ---------------------------------------------------------------------------- fixtures
