"""``/_mockscim/webhooks``: endpoints, messages with their delivery attempts, replay and flush.

- ``GET /webhooks/endpoints`` -> ``{"endpoints": [...]}`` (no secrets)
- ``POST /webhooks/endpoints`` ``{"url", "events"?: [types], "secret"?: "whsec_...",
  "headers"?: {name: value}}`` -> 201, the endpoint *with* its secret (generated when not
  given) and its custom headers' values: the one answer that shows them (listings show
  ``header_names`` only, as a header is often a credential)
- ``GET /webhooks/endpoints/{id}/secret`` -> ``{"key": "whsec_..."}`` (as Svix's API has it)
- ``DELETE /webhooks/endpoints/{id}`` -> 204
- ``GET /webhooks/messages?event_type=`` -> ``{"messages": [...]}``, each with its deliveries
  and every attempt (status, latency, response excerpt, next retry)
- ``POST /webhooks/messages/{id}/replay`` ``{"endpoint_id"?}`` -> 202, the message
- ``POST /webhooks/flush`` -> every attempt due now made; the delivery counts by status

Registered by :mod:`mockscim.control.routes` on its blueprint, so errors share its format.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request

from mockscim.engine.mock import Mock
from mockscim.engine.webhooks import UnknownWebhookObject, WebhookError
from mockscim.http.context import json_response

ENDPOINT_FIELDS = frozenset({"url", "events", "secret", "headers"})


def register(
    bp: Blueprint,
    mock: Mock,
    body: Callable[[], dict[str, Any]],
    error: Callable[[int, str], Exception],
) -> None:
    """Add the webhook routes to the control blueprint; ``body`` reads a JSON object and
    ``error(status, message)`` builds the control plane's exception."""
    webhooks = mock.webhooks

    def guarded(fn: Callable[..., Response]) -> Callable[..., Response]:
        def wrapper(**kwargs: Any) -> Response:
            try:
                return fn(**kwargs)
            except UnknownWebhookObject as exc:
                raise error(404, str(exc.args[0])) from exc
            except WebhookError as exc:
                raise error(400, str(exc)) from exc

        wrapper.__name__ = f"webhooks_{fn.__name__}"
        return wrapper

    @bp.get("/webhooks/endpoints")
    @guarded
    def endpoints_get() -> Response:
        items = [e.to_json() for e in webhooks.endpoints()]
        return json_response({"endpoints": items, "count": len(items)})

    @bp.post("/webhooks/endpoints")
    @guarded
    def endpoints_post() -> Response:
        data = body()
        unknown = set(data) - ENDPOINT_FIELDS
        if unknown:
            raise WebhookError(f"unknown endpoint field(s): {', '.join(sorted(unknown))}")
        if "url" not in data:
            raise WebhookError("'url' is required")
        if not isinstance(data.get("events"), str | list | None):  # 5, true, 1.5: a 400
            raise WebhookError("'events' must be a list of event type strings")
        endpoint = webhooks.add_endpoint(
            data["url"],
            event_types=data.get("events"),
            secret=data.get("secret"),
            headers=data.get("headers"),
        )
        return json_response(endpoint.to_json(with_secret=True), 201)

    @bp.get("/webhooks/endpoints/<endpoint_id>/secret")
    @guarded
    def endpoint_secret(endpoint_id: str) -> Response:
        return json_response({"key": webhooks.endpoint(endpoint_id).secret})

    @bp.delete("/webhooks/endpoints/<endpoint_id>")
    @guarded
    def endpoint_delete(endpoint_id: str) -> Response:
        webhooks.remove_endpoint(endpoint_id)
        return Response(status=204)

    @bp.get("/webhooks/messages")
    @guarded
    def messages_get() -> Response:
        items = webhooks.messages_json(request.args.get("event_type") or None)
        return json_response({"messages": items, "count": len(items)})

    @bp.post("/webhooks/messages/<message_id>/replay")
    @guarded
    def message_replay(message_id: str) -> Response:
        data = body()
        unknown = set(data) - {"endpoint_id"}
        if unknown:
            raise WebhookError(f"unknown replay field(s): {', '.join(sorted(unknown))}")
        endpoint_id = data.get("endpoint_id")
        if endpoint_id is not None and (not isinstance(endpoint_id, str) or not endpoint_id):
            raise WebhookError("'endpoint_id' must be a non-empty string")
        webhooks.replay(message_id, endpoint_id)
        return json_response(webhooks.message_json(message_id), 202)

    @bp.post("/webhooks/flush")
    @guarded
    def flush() -> Response:
        return json_response({"deliveries": webhooks.flush()})
