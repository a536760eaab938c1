// stateful_mock.js - starts stripe-stateful-mock (an independent Stripe
// emulation) on a free loopback port and prints that port on its first line.
// Stops when its stdin closes, so it cannot outlive the test that started it.
'use strict';
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
const mock = require('stripe-stateful-mock');

const server = mock.createExpressApp().listen(0, '127.0.0.1', () => {
  process.stdout.write(server.address().port + '\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
