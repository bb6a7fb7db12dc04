#!/usr/bin/env node
require("./launch.js").launch("provider/cli/index.js");
