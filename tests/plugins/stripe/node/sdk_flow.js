// sdk_flow.js PORT - the official stripe SDK against the emulator on
// 127.0.0.1:PORT: creates a customer, attaches a card, creates and confirms
// payment intents (a successful one, a declined one, one in manual capture,
// one needing authentication), refunds, lists with auto-pagination and an
// idempotent retry. Prints what it saw as JSON; any error the SDK raises
// where none is expected (an answer it cannot decode included) fails it.
'use strict';
const Stripe = require('stripe');

const port = Number(process.argv[2]);
const stripe = Stripe('sk_test_sdk_flow', {
  host: '127.0.0.1',
  port,
  protocol: 'http',
  maxNetworkRetries: 0,
  telemetry: false,
});

async function main() {
  const out = {};
  const customer = await stripe.customers.create({
    email: 'flow@example.com',
    name: 'Flow',
    metadata: { order: '42', note: 'a b&c' },
  });
  out.customer = customer;
  const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  out.payment_method = pm;

  const created = await stripe.paymentIntents.create({
    amount: 2000,
    currency: 'usd',
    customer: customer.id,
    payment_method: pm.id,
    metadata: { order: '42' },
  });
  out.created = created;
  out.confirmed = await stripe.paymentIntents.confirm(created.id);
  out.retrieved = await stripe.paymentIntents.retrieve(created.id, { expand: ['latest_charge'] });
  out.charge = await stripe.charges.retrieve(out.confirmed.latest_charge);
  out.refund = await stripe.refunds.create({ payment_intent: created.id, amount: 500 });
  out.charge_after_refund = await stripe.charges.retrieve(out.confirmed.latest_charge);

  try {
    await stripe.paymentIntents.create({
      amount: 1000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true,
    });
    out.declined = { error: 'none raised' };
  } catch (e) {
    out.declined = {
      class: e.constructor.name, type: e.type, code: e.code, decline_code: e.decline_code,
      status: e.statusCode, intent_status: e.payment_intent && e.payment_intent.status,
    };
  }

  const manual = await stripe.paymentIntents.create({
    amount: 3000, currency: 'eur', payment_method: 'pm_card_visa', capture_method: 'manual',
    confirm: true,
  });
  out.manual = manual;
  out.captured = await stripe.paymentIntents.capture(manual.id, { amount_to_capture: 2500 });
  const auth = await stripe.paymentIntents.create({
    amount: 500, currency: 'usd', payment_method: 'pm_card_authenticationRequired', confirm: true,
  });
  out.auth = auth;
  out.canceled = await stripe.paymentIntents.cancel(auth.id);

  const key = 'flow-' + Date.now();
  const first = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: key });
  const again = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: key });
  out.idempotent = { first: first.id, again: again.id };
  try {
    await stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: key });
    out.idempotency_error = { error: 'none raised' };
  } catch (e) {
    out.idempotency_error = { class: e.constructor.name, type: e.type, status: e.statusCode };
  }

  try {
    await stripe.customers.retrieve('cus_missing');
    out.missing = { error: 'none raised' };
  } catch (e) {
    out.missing = { class: e.constructor.name, code: e.code, status: e.statusCode, param: e.param };
  }

  for (let i = 0; i < 5; i++) await stripe.customers.create({ email: `page${i}@example.com` });
  const all = await stripe.customers.list({ limit: 2 }).autoPagingToArray({ limit: 100 });
  out.listed = all.map((c) => c.id);
  out.events = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type);
  out.deleted = await stripe.customers.del(customer.id);

  const bad = Stripe('sk_live_not_for_the_emulator', { host: '127.0.0.1', port, protocol: 'http' });
  try {
    await bad.customers.list();
    out.live = { error: 'none raised' };
  } catch (e) {
    out.live = { class: e.constructor.name, status: e.statusCode, message: e.message };
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write('sdk_flow failed: ' + (e.stack || e) + '\n');
  process.exit(1);
});
