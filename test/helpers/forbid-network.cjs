// Preloaded (NODE_OPTIONS=--require) into a command under test: any TCP/UDP connection or DNS
// lookup is recorded to $FORBID_NETWORK_LOG and refused. Local IPC (unix sockets, pipes) stays allowed.
const fs = require("node:fs");
const net = require("node:net");
const dns = require("node:dns");
const dgram = require("node:dgram");

function refuse(what) {
  fs.appendFileSync(process.env.FORBID_NETWORK_LOG, `${process.pid} ${what}\n`);
  throw new Error(`network access refused in this test: ${what}`);
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect() passes its normalized [options, callback] pair; socket.connect() its own arguments.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === "object" && first !== null ? first : { port: first, host: args[1] };
  if (options.path !== undefined) return connect.apply(this, args);
  refuse(`connect ${options.host ?? "localhost"}:${options.port}`);
};
dns.lookup = (host) => refuse(`dns lookup ${host}`);
dns.promises.lookup = async (host) => refuse(`dns lookup ${host}`);
dgram.Socket.prototype.send = () => refuse("udp send");
