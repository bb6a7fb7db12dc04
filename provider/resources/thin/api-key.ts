// The provider object every ApiKey hands to Pulumi is this module's exports: from an install, Pulumi serializes
// it as `require("pulumi-onesignal/dist/provider/resources/thin/api-key.js")`, a line per resource.
import { RESOURCES } from "../registry";
import { thinProvider } from "../thin-provider";

export = thinProvider(RESOURCES.ApiKey);
