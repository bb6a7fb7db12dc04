"""A OneSignal app, its server key and a segment, declared in Python with the pulumi_onesignal SDK.

An Automation API inline program: it runs with the Pulumi CLI alone (no Python language host needed) and drives the
provider plugin pulumi-resource-onesignal, which must be on PATH.

    python main.py preview | up | destroy | outputs

Settings come from the environment: ONESIGNAL_API_URL (an emulator's address, or OneSignal's by default),
ONESIGNAL_ORGANIZATION_API_KEY (kept as a secret in the stack), PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE
for the state, ONESIGNAL_STACK (default dev), and the program's own: APP_NAME (default python-shop), KEY_ROTATION
(change it to rotate the key), LOOKUP=1 to read the app back with the get_app function and name a segment from it,
IMPORT_SEGMENT=<appId>/<segmentId> to adopt a segment "VIPs" made outside the stack.
Each command prints one JSON line: the changes and the outputs (secret ones masked).
"""

import json
import os
import sys

import pulumi
from pulumi import automation as auto

import pulumi_onesignal as onesignal

PROJECT = "onesignal-python"


def program() -> None:
    config = pulumi.Config()
    app = onesignal.App(
        "app",
        name=config.get("appName") or "python-shop",
        site_name="Python Shop",
        chrome_web_origin="https://example.com",
    )
    key = onesignal.ApiKey("server", app_id=app.id, name="server", rotation=config.get("keyRotation") or "1")
    pulumi.export("appId", app.id)
    pulumi.export("apiKey", key.token)
    if config.get_bool("lookup"):
        # A function's result feeds a resource: the app as OneSignal shows it names the segment.
        shown = onesignal.get_app_output(app_id=app.id)
        testers = onesignal.Segment(
            "testers",
            app_id=app.id,
            api_key=key.token,
            name=shown.name.apply(lambda name: f"{name} testers"),
            filters=[{"field": "tag", "key": "tester", "relation": "=", "value": "yes"}],
        )
        pulumi.export("segmentId", testers.id)
    adopted = config.get("importSegment")
    if adopted:
        # A segment made in OneSignal's dashboard, adopted by the `import` option ("<appId>/<segmentId>"): declared
        # as it is, it is read, not made. Reading and deleting it takes the app's key (ONESIGNAL_APP_API_KEY).
        vips = onesignal.Segment(
            "vips",
            app_id=adopted.split("/")[0],
            name="VIPs",
            filters=[{"field": "sessionCount", "relation": ">", "value": "10"}],
            opts=pulumi.ResourceOptions(import_=adopted),
        )
        pulumi.export("adoptedId", vips.id)


def stack() -> auto.Stack:
    settings = auto.ProjectSettings(name=PROJECT, runtime="python")
    # The stack's settings file (its secrets' salt among them) is kept between runs, beside this file by default.
    work_dir = os.environ.get("PULUMI_WORK_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), ".work"))
    os.makedirs(work_dir, exist_ok=True)
    selected = auto.create_or_select_stack(
        stack_name=os.environ.get("ONESIGNAL_STACK", "dev"),
        project_name=PROJECT,
        program=program,
        opts=auto.LocalWorkspaceOptions(work_dir=work_dir, project_settings=settings),
    )
    if "ONESIGNAL_API_URL" in os.environ:
        selected.set_config("onesignal:apiUrl", auto.ConfigValue(os.environ["ONESIGNAL_API_URL"]))
    if "ONESIGNAL_ORGANIZATION_API_KEY" in os.environ:
        key = os.environ["ONESIGNAL_ORGANIZATION_API_KEY"]
        selected.set_config("onesignal:organizationApiKey", auto.ConfigValue(key, secret=True))
    selected.set_config(f"{PROJECT}:appName", auto.ConfigValue(os.environ.get("APP_NAME", "python-shop")))
    selected.set_config(f"{PROJECT}:keyRotation", auto.ConfigValue(os.environ.get("KEY_ROTATION", "1")))
    selected.set_config(f"{PROJECT}:lookup", auto.ConfigValue("true" if os.environ.get("LOOKUP") == "1" else "false"))
    selected.set_config(f"{PROJECT}:importSegment", auto.ConfigValue(os.environ.get("IMPORT_SEGMENT", "")))
    return selected


def shown(outputs: dict) -> dict:
    return {
        name: {"value": "[secret]" if output.secret else output.value, "secret": output.secret}
        for name, output in outputs.items()
    }


def main(command: str) -> dict:
    selected = stack()
    progress = {"on_output": lambda line: print(line, file=sys.stderr)}
    if command == "preview":
        return {"changes": selected.preview(**progress).change_summary}
    if command == "up":
        result = selected.up(**progress)
        return {"changes": result.summary.resource_changes, "outputs": shown(result.outputs)}
    if command == "destroy":
        return {"changes": selected.destroy(**progress).summary.resource_changes}
    if command == "outputs":
        return {"outputs": shown(selected.outputs())}
    raise SystemExit("usage: python main.py preview | up | destroy | outputs")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "")))
