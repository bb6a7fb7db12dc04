#!/usr/bin/env node
require("./launch.js").launch("emulator/cli.js");
