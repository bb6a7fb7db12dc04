// A test program deployed with runs killed mid-create. `test:stage` declares more each time: "apps" (three
// apps), "keys" (and three keys of the first app), "all" (and, with the first key's secret, three segments and
// three templates). Three of a type are created side by side, so one run meets three ways of being killed.
import * as pulumi from "@pulumi/pulumi";
import { ApiKey, App, filter, Segment, Template } from "pulumi-onesignal";

const stage = new pulumi.Config("test").require("stage");
const three = [1, 2, 3];

const apps = three.map((n) => new App(`app-${n}`, { name: `killed-${n}` }));
const first = apps[0] as App;
if (stage !== "apps") {
  const keys = three.map((n) => new ApiKey(`key-${n}`, { appId: first.id, name: `deploy-${n}` }));
  if (stage === "all") {
    const owned = { appId: first.id, apiKey: (keys[0] as ApiKey).token };
    for (const n of three) {
      new Segment(`segment-${n}`, { ...owned, name: `Testers ${n}`, filters: [filter.tag("tester").is(`${n}`)] });
      new Template(`template-${n}`, { ...owned, name: `Welcome ${n}`, channel: "push", contents: { en: "Hi" } });
    }
  }
}

export const appIds = apps.map((app) => app.id);
