// A test program: the Apps listed in the `test:apps` config object, by logical name.
import * as pulumi from "@pulumi/pulumi";
import { App, type AppArgs } from "pulumi-onesignal";

const apps = new pulumi.Config("test").requireObject<Record<string, AppArgs>>("apps");

export const ids = Object.fromEntries(Object.entries(apps).map(([name, args]) => [name, new App(name, args).id]));
