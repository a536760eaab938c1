// reference.js - the official stripe SDK's answers for the plugin's tests.
// Reads one JSON request on stdin, prints one JSON answer:
//   {"op": "encode", "params": [ {...}, ... ]}        -> ["a=b&...", ...]
//   {"op": "sign", "payload": "...", "secret": "...", "timestamp": 123}
//                                                      -> {"header": "t=...,v1=..."}
//   {"op": "verify", "payload": "...", "header": "...", "secret": "...",
//    "tolerance": 300}                                 -> {"ok": true} | {"ok": false, "error": "..."}
'use strict';
const Stripe = require('stripe');
// The SDK's own encoder, not exported by name: queryStringifyRequestData (stringifyRequestData) is what
// every request it sends goes through.
const path = require('path');
const utils = require(path.join(path.dirname(require.resolve('stripe')), 'utils.js'));

const stripe = Stripe('sk_test_reference');
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const req = JSON.parse(input);
  let out;
  if (req.op === 'encode') {
    out = req.params.map((p) => utils.queryStringifyRequestData(p));
  } else if (req.op === 'sign') {
    out = {
      header: stripe.webhooks.generateTestHeaderString({
        payload: req.payload,
        secret: req.secret,
        timestamp: req.timestamp,
      }),
    };
  } else if (req.op === 'verify') {
    try {
      const event = stripe.webhooks.constructEvent(req.payload, req.header, req.secret, req.tolerance);
      out = { ok: true, id: event.id };
    } catch (e) {
      out = { ok: false, error: e.message };
    }
  } else {
    throw new Error('unknown op ' + req.op);
  }
  process.stdout.write(JSON.stringify(out));
});
