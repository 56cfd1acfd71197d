// Preloaded (NODE_OPTIONS=--require) into synth to stand for a failure the kit does not expect:
// creating any folder whose path holds "simulated-disk-failure" throws, as a failing disk would.
const fs = require("node:fs");

const mkdirSync = fs.mkdirSync;
fs.mkdirSync = function (target, ...rest) {
  if (String(target).includes("simulated-disk-failure")) {
    const error = new Error(`EIO: i/o error, mkdir '${target}'`);
    error.code = "EIO";
    throw error;
  }
  return mkdirSync.call(this, target, ...rest);
};
