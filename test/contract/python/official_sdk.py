"""The official Python SDK (onesignal-python-api) pointed at the emulator: every method of its DefaultApi is called.

Run by test/contract/official-python-sdk.test.ts in a virtualenv holding the SDK. The emulator's URL and keys come
from the environment (ONESIGNAL_URL, ONESIGNAL_ORGANIZATION_KEY, ONESIGNAL_ORGANIZATION_ID, ONESIGNAL_APP_ID,
ONESIGNAL_APP_KEY, ONESIGNAL_OTHER_APP_ID, ONESIGNAL_OTHER_APP_KEY). It prints one JSON object on stdout:
  offered  the public methods of DefaultApi,
  called   the methods this script called,
  results  for each labelled call, what the SDK parsed ({"type", "value"}: the typed model's class and fields),
           or the refusal it raised ({"refused": {"status", "body"}}), or any other error ({"error": "..."}).
The SDK's models check every answer's types strictly: an answer of the wrong shape ends in an "error" here.
API key secrets are never printed: a formatted_token is replaced by a note of its length.
"""

import datetime
import json
import os
import sys

import onesignal
from onesignal import ApiException
from onesignal.api import default_api
from onesignal.model_utils import ModelSimple, model_to_dict
from onesignal.models import (
    App,
    CopyTemplateRequest,
    CreateApiKeyRequest,
    CreateJourneyRequest,
    CreateTemplateRequest,
    CustomEvent,
    CustomEventsRequest,
    DuplicateJourneyRequest,
    EstimateNotificationRecipientsRequest,
    ExportSubscriptionsRequestBody,
    Filter,
    GetNotificationHistoryRequestBody,
    LanguageStringMap,
    Notification,
    PropertiesObject,
    Segment,
    StartLiveActivityRequest,
    Subscription,
    SubscriptionBody,
    TransferSubscriptionRequestBody,
    UpdateApiKeyRequest,
    UpdateJourneyNodeRequest,
    UpdateJourneyRequest,
    UpdateLiveActivityRequest,
    UpdateSegmentRequest,
    UpdateTemplateRequest,
    UpdateUserRequest,
    User,
    UserIdentityBody,
)

ENV = os.environ
URL = ENV["ONESIGNAL_URL"]
APP_ID = ENV["ONESIGNAL_APP_ID"]
OTHER_APP_ID = ENV["ONESIGNAL_OTHER_APP_ID"]
JOURNEY = "00000000-0000-4000-8000-000000000001"
START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2026, 1, 31, tzinfo=datetime.timezone.utc)

called = set()
results = {}


class Recording:
    """A DefaultApi that notes the name of each method called on it."""

    def __init__(self, api):
        self._api = api

    def __getattr__(self, name):
        member = getattr(self._api, name)
        if not callable(member):
            return member

        def call(*args, **kwargs):
            called.add(name)
            return member(*args, **kwargs)

        return call


def sdk(app_key):
    """The SDK as its users configure it: the emulator's URL as host, the organization key and an app key."""
    configuration = onesignal.Configuration(
        host=URL, rest_api_key=app_key, organization_api_key=ENV["ONESIGNAL_ORGANIZATION_KEY"]
    )
    return Recording(default_api.DefaultApi(onesignal.ApiClient(configuration)))


def plain(value):
    """What the SDK parsed, as JSON: a model's fields by their API names, with secrets left out."""
    if isinstance(value, ModelSimple):
        return plain(value.value)
    if hasattr(value, "_data_store"):
        return hide_secrets(model_to_dict(value, serialize=True))
    if isinstance(value, (list, tuple)):
        return [plain(each) for each in value]
    if isinstance(value, dict):
        return hide_secrets({key: plain(each) for key, each in value.items()})
    return value


def hide_secrets(fields):
    if isinstance(fields.get("formatted_token"), str):
        fields["formatted_token"] = "<%d characters>" % len(fields["formatted_token"])
    return fields


def unparsed(response):
    """The status and JSON body of an answer the SDK was told not to parse (`_preload_content=False`)."""
    return {"status": response.status, "body": json.loads(response.data)}


def step(label, call):
    """Runs one call, records what it parsed (or how it failed) under `label`, and returns the parsed value."""
    try:
        value = call()
    except ApiException as error:
        try:
            body = json.loads(error.body)
        except (TypeError, ValueError):
            body = str(error.body)
        results[label] = {"refused": {"status": error.status, "body": body}}
        return None
    except Exception as error:  # a parse failure of the strict models, or a step made impossible by an earlier one
        results[label] = {"error": "%s: %s" % (type(error).__name__, error)}
        return None
    results[label] = {"type": type(value).__name__, "value": plain(value)}
    return value


def apps(api):
    created = step("create_app", lambda: api.create_app(App(name="py-app", chrome_web_origin="https://example.com")))
    app_id = created.id if created else "missing"
    step("get_app", lambda: api.get_app(app_id))
    step("get_apps", lambda: api.get_apps())
    step("update_app", lambda: api.update_app(app_id, App(name="py-app-renamed")))
    step("get_app(after update)", lambda: api.get_app(app_id))


def api_keys(api):
    created = step(
        "create_api_key",
        lambda: api.create_api_key(
            APP_ID, CreateApiKeyRequest(name="py-key", ip_allowlist_mode="explicit", ip_allowlist=["203.0.113.0/24"])
        ),
    )
    token_id = created.token_id if created else "missing"
    step("view_api_keys", lambda: api.view_api_keys(APP_ID))
    step(
        "update_api_key",
        lambda: api.update_api_key(
            APP_ID, token_id, UpdateApiKeyRequest(name="py-key-renamed", ip_allowlist_mode="disabled")
        ),
    )
    step("view_api_keys(after update)", lambda: api.view_api_keys(APP_ID))
    rotated = step("rotate_api_key", lambda: api.rotate_api_key(APP_ID, token_id))
    # Compared here, so that neither secret leaves the script.
    results["rotate_api_key(changed the secret)"] = bool(
        created and rotated and rotated.formatted_token != created.formatted_token
    )
    step("delete_api_key", lambda: api.delete_api_key(APP_ID, token_id))
    step("view_api_keys(after delete)", lambda: api.view_api_keys(APP_ID))


def segments(api):
    created = step(
        "create_segment",
        lambda: api.create_segment(
            APP_ID,
            segment=Segment(
                name="py-segment", filters=[Filter(field="tag", key="level", relation=">", value="10")]
            ),
        ),
    )
    segment_id = created.id if created else "missing"
    step("get_segments", lambda: api.get_segments(APP_ID, offset=0, limit=10))
    step("get_segment", lambda: api.get_segment(APP_ID, segment_id))
    # The SDK writes this boolean as Python does, `True`. Its FilterExpression is a oneOf of Filter and Operator whose
    # every field is optional, so any filter of an answer matches both and the SDK refuses it: the detailed answer is
    # also read unparsed (`_preload_content=False`), as the SDK's users must.
    step("get_segment(detail)", lambda: api.get_segment(APP_ID, segment_id, include_segment_detail=True))
    step(
        "get_segment(detail, unparsed)",
        lambda: unparsed(api.get_segment(APP_ID, segment_id, include_segment_detail=True, _preload_content=False)),
    )
    step(
        "update_segment",
        lambda: api.update_segment(
            APP_ID,
            segment_id,
            update_segment_request=UpdateSegmentRequest(
                name="py-segment-renamed", filters=[Filter(field="language", relation="=", value="fr")]
            ),
        ),
    )
    step(
        "get_segment(after update, unparsed)",
        lambda: unparsed(api.get_segment(APP_ID, segment_id, include_segment_detail=True, _preload_content=False)),
    )
    step("delete_segment", lambda: api.delete_segment(APP_ID, segment_id))
    step("get_segment(after delete)", lambda: api.get_segment(APP_ID, segment_id))


def templates(api, other_api):
    created = step(
        "create_template",
        lambda: api.create_template(
            CreateTemplateRequest(
                app_id=APP_ID,
                name="py-template",
                contents=LanguageStringMap(en="Hello"),
                headings=LanguageStringMap(en="Hi"),
            )
        ),
    )
    template_id = created.id if created else "missing"
    step("view_template", lambda: api.view_template(template_id, APP_ID))
    step("view_templates", lambda: api.view_templates(APP_ID, limit=10, offset=0, channel="push"))
    step(
        "update_template",
        lambda: api.update_template(
            template_id,
            APP_ID,
            UpdateTemplateRequest(name="py-template-renamed", contents=LanguageStringMap(en="Bye")),
        ),
    )
    step(
        "copy_template_to_app",
        lambda: api.copy_template_to_app(template_id, APP_ID, CopyTemplateRequest(target_app_id=OTHER_APP_ID)),
    )
    step("view_templates(the other app)", lambda: other_api.view_templates(OTHER_APP_ID))
    step("delete_template", lambda: api.delete_template(template_id, APP_ID))
    step("view_template(after delete)", lambda: api.view_template(template_id, APP_ID))


def users(api):
    created = step(
        "create_user",
        lambda: api.create_user(
            APP_ID,
            User(
                identity={"external_id": "py-user"},
                properties=PropertiesObject(language="fr", tags={"level": "3"}),
                subscriptions=[Subscription(type="AndroidPush", token="py-user-token", enabled=True)],
            ),
        ),
    )
    onesignal_id = created.identity["onesignal_id"] if created else "missing"
    step("get_user", lambda: api.get_user(APP_ID, "onesignal_id", onesignal_id))
    step(
        "update_user",
        lambda: api.update_user(
            APP_ID,
            "external_id",
            "py-user",
            UpdateUserRequest(properties=PropertiesObject(language="de", tags={"level": "4"})),
        ),
    )
    step("get_user(after update)", lambda: api.get_user(APP_ID, "external_id", "py-user"))
    step("delete_user", lambda: api.delete_user(APP_ID, "external_id", "py-user"))
    step("get_user(after delete)", lambda: api.get_user(APP_ID, "external_id", "py-user"))


def aliases_and_subscriptions(api):
    first = step(
        "create_user(first)",
        lambda: api.create_user(
            APP_ID,
            User(
                identity={"external_id": "py-alias-1"},
                subscriptions=[Subscription(type="Email", token="one@example.com")],
            ),
        ),
    )
    email_id = first.subscriptions[0].id if first else "missing"
    step(
        "create_alias",
        lambda: api.create_alias(APP_ID, "external_id", "py-alias-1", UserIdentityBody(identity={"crm": "c-1"})),
    )
    step("get_aliases", lambda: api.get_aliases(APP_ID, "crm", "c-1"))
    step(
        "create_alias_by_subscription",
        lambda: api.create_alias_by_subscription(APP_ID, email_id, UserIdentityBody(identity={"shop": "s-1"})),
    )
    step("get_aliases_by_subscription", lambda: api.get_aliases_by_subscription(APP_ID, email_id))
    step("delete_alias", lambda: api.delete_alias(APP_ID, "external_id", "py-alias-1", "crm"))
    added = step(
        "create_subscription",
        lambda: api.create_subscription(
            APP_ID,
            "external_id",
            "py-alias-1",
            SubscriptionBody(subscription=Subscription(type="SMS", token="+15555550100")),
        ),
    )
    sms_id = added.subscription.id if added else "missing"
    step(
        "update_subscription",
        lambda: api.update_subscription(APP_ID, sms_id, SubscriptionBody(subscription=Subscription(enabled=False))),
    )
    step("get_user(after update_subscription)", lambda: api.get_user(APP_ID, "external_id", "py-alias-1"))
    step("create_user(second)", lambda: api.create_user(APP_ID, User(identity={"external_id": "py-alias-2"})))
    step(
        "transfer_subscription",
        lambda: api.transfer_subscription(
            APP_ID, email_id, TransferSubscriptionRequestBody(identity={"external_id": "py-alias-2"})
        ),
    )
    step("get_user(second, after transfer)", lambda: api.get_user(APP_ID, "external_id", "py-alias-2"))
    step("delete_subscription", lambda: api.delete_subscription(APP_ID, sms_id))
    step("get_user(first, at the end)", lambda: api.get_user(APP_ID, "external_id", "py-alias-1"))


def messages(api):
    device = step(
        "create_user(recipient)",
        lambda: api.create_user(
            APP_ID,
            User(
                identity={"external_id": "py-recipient"},
                properties=PropertiesObject(language="en"),
                subscriptions=[Subscription(type="AndroidPush", token="py-recipient-token", enabled=True)],
            ),
        ),
    )
    device_id = device.subscriptions[0].id if device else "missing"
    results["recipient"] = device_id
    # Counted by no estimate below: its language is not the filter's.
    step(
        "create_user(bystander)",
        lambda: api.create_user(
            APP_ID,
            User(
                properties=PropertiesObject(language="fr"),
                subscriptions=[Subscription(type="AndroidPush", token="py-bystander-token", enabled=True)],
            ),
        ),
    )
    sent = step(
        "create_notification",
        lambda: api.create_notification(
            Notification(
                app_id=APP_ID, contents=LanguageStringMap(en="Hello from Python"), include_subscription_ids=[device_id]
            )
        ),
    )
    sent_id = sent.id if sent else "missing"
    step("get_notification", lambda: api.get_notification(APP_ID, sent_id))

    def retried(label):
        outcome = step(
            label,
            lambda: api.create_notification_with_retry(
                Notification(
                    app_id=APP_ID,
                    contents=LanguageStringMap(en="Once only"),
                    include_subscription_ids=[device_id],
                    idempotency_key="5b0c6f1e-4a8e-4d0e-9a55-2d1f0c8e7a12",
                )
            ),
        )
        # A named tuple: recorded by its fields, so that the test reads both.
        if outcome is not None:
            results[label] = {
                "type": type(outcome).__name__,
                "value": {"response": plain(outcome.response), "was_replayed": outcome.was_replayed},
            }

    retried("create_notification_with_retry")
    retried("create_notification_with_retry(again)")
    step(
        "estimate_notification_recipients",
        lambda: api.estimate_notification_recipients(
            EstimateNotificationRecipientsRequest(
                app_id=APP_ID,
                included_segments=["All"],
                filters=[Filter(field="language", relation="=", value="en")],
            )
        ),
    )
    scheduled = step(
        "create_notification(scheduled)",
        lambda: api.create_notification(
            Notification(
                app_id=APP_ID,
                contents=LanguageStringMap(en="Later"),
                include_subscription_ids=[device_id],
                send_after=datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc),
            )
        ),
    )
    scheduled_id = scheduled.id if scheduled else "missing"
    step("get_notification(scheduled)", lambda: api.get_notification(APP_ID, scheduled_id))
    step("cancel_notification", lambda: api.cancel_notification(APP_ID, scheduled_id))
    step("get_notification(after cancel)", lambda: api.get_notification(APP_ID, scheduled_id))
    step("cancel_notification(again)", lambda: api.cancel_notification(APP_ID, scheduled_id))
    step("get_notifications", lambda: api.get_notifications(APP_ID, limit=10, offset=0, kind=1))
    step(
        "get_notification_history",
        lambda: api.get_notification_history(
            sent_id, GetNotificationHistoryRequestBody(events="sent", app_id=APP_ID)
        ),
    )
    step("export_events", lambda: api.export_events(sent_id, APP_ID))
    step(
        "export_subscriptions",
        lambda: api.export_subscriptions(
            APP_ID, export_subscriptions_request_body=ExportSubscriptionsRequestBody(extra_fields=["country"])
        ),
    )


def not_emulated(api):
    """The calls of routes the emulator does not model: each is recorded under its route, as OneSignal writes it."""
    calls = [
        (
            "PATCH /apps/{app_id}/subscriptions_by_token/{token_type}/{token}",
            lambda: api.update_subscription_by_token(
                APP_ID, "Email", "one@example.com", SubscriptionBody(subscription=Subscription(enabled=False))
            ),
        ),
        (
            "POST /apps/{app_id}/notifications/{notification_id}/unsubscribe",
            lambda: api.unsubscribe_email_with_token(APP_ID, "00000000-0000-4000-8000-000000000002", "token"),
        ),
        (
            "GET /apps/{app_id}/outcomes",
            lambda: api.get_outcomes(
                APP_ID, "os__click.count", outcome_time_range="1d", outcome_platforms="1", outcome_attribution="total"
            ),
        ),
        (
            "POST /apps/{app_id}/activities/activity/{activity_type}",
            lambda: api.start_live_activity(
                APP_ID,
                "score",
                StartLiveActivityRequest(
                    name="start",
                    event="start",
                    activity_id="a-1",
                    event_attributes={},
                    event_updates={},
                    contents=LanguageStringMap(en="Go"),
                    headings=LanguageStringMap(en="Match"),
                ),
            ),
        ),
        (
            "POST /apps/{app_id}/live_activities/{activity_id}/notifications",
            lambda: api.update_live_activity(
                APP_ID, "a-1", UpdateLiveActivityRequest(name="update", event="update", event_updates={})
            ),
        ),
        (
            "POST /apps/{app_id}/custom_events",
            lambda: api.create_custom_events(APP_ID, CustomEventsRequest(events=[CustomEvent(name="purchase")])),
        ),
        ("POST /apps/{app_id}/journeys", lambda: api.create_journey(APP_ID, CreateJourneyRequest(name="welcome"))),
        ("GET /apps/{app_id}/journeys", lambda: api.view_journeys(APP_ID)),
        ("GET /apps/{app_id}/journeys/{journey_id}", lambda: api.view_journey(APP_ID, JOURNEY)),
        (
            "PATCH /apps/{app_id}/journeys/{journey_id}",
            lambda: api.update_journey(APP_ID, JOURNEY, UpdateJourneyRequest(name="renamed")),
        ),
        ("DELETE /apps/{app_id}/journeys/{journey_id}", lambda: api.delete_journey(APP_ID, JOURNEY)),
        (
            "POST /apps/{app_id}/journeys/{journey_id}/duplicate",
            lambda: api.duplicate_journey(APP_ID, JOURNEY, duplicate_journey_request=DuplicateJourneyRequest()),
        ),
        ("GET /apps/{app_id}/journeys/{journey_id}/stats", lambda: api.view_journey_stats(APP_ID, JOURNEY)),
        (
            "PATCH /apps/{app_id}/journeys/{journey_id}/nodes/{node_id}",
            lambda: api.update_journey_node(APP_ID, JOURNEY, "node-1", UpdateJourneyNodeRequest(annotation="a")),
        ),
        (
            "GET /organizations/{organization_id}/audit_logs",
            lambda: api.list_audit_logs(ENV["ONESIGNAL_ORGANIZATION_ID"]),
        ),
        ("GET /apps/{app_id}/email_analytics/delivery_metrics", lambda: api.get_email_reputation(APP_ID)),
        (
            "GET /apps/{app_id}/email_analytics/provider_metrics",
            lambda: api.get_email_provider_metrics(APP_ID, "example.com", START, END),
        ),
        (
            "GET /apps/{app_id}/email_analytics/provider_metrics_timeseries",
            lambda: api.get_email_provider_metrics_timeseries(APP_ID, "example.com", START, END, "daily"),
        ),
    ]
    for route, call in calls:
        step(route, call)


def main():
    api = sdk(ENV["ONESIGNAL_APP_KEY"])
    apps(api)
    api_keys(api)
    segments(api)
    templates(api, sdk(ENV["ONESIGNAL_OTHER_APP_KEY"]))
    users(api)
    aliases_and_subscriptions(api)
    messages(api)
    not_emulated(api)
    offered = sorted(
        name
        for name in dir(default_api.DefaultApi)
        if not name.startswith("_") and callable(getattr(default_api.DefaultApi, name))
    )
    # Dates the models parsed into datetime objects are printed as ISO 8601.
    json.dump(
        {"offered": offered, "called": sorted(called), "results": results},
        sys.stdout,
        default=lambda value: value.isoformat() if hasattr(value, "isoformat") else repr(value),
    )


if __name__ == "__main__":
    main()
