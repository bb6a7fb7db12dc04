#!/usr/bin/env node
require("./launch.js").launch("provider/plugin/main.js");
