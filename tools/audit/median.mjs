// Which of several Lighthouse reports of one page is the median run, by Lighthouse's own rule: the run
// closest to the median first contentful paint and time to interactive (Lighthouse's guide to variability
// recommends the median of five runs). Prints its index among the files given.
import fs from "node:fs";
import { computeMedianRun } from "lighthouse/core/lib/median-run.js";

const runs = process.argv.slice(2).map((file) => JSON.parse(fs.readFileSync(file, "utf8")));
process.stdout.write(String(runs.indexOf(computeMedianRun(runs))));
