#!/usr/bin/env bash
# stripe.sh - the stripe pack, as the build makes it (seam_add_pack in
# plugins/stripe), with a fresh installation of seam: it cannot take the name
# of the stripe plugin that `cmake --install` puts beside seam; once that
# copy is gone it installs, is listed as the user's, shows its docs and runs
# its example suite (the emulator, no network). Needs SEAM_BUILD_DIR and
# STRIPE_PACK_DIR (where the build put stripe-VERSION.seampack).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${STRIPE_PACK_DIR:?}"
install_seam
packs=("$STRIPE_PACK_DIR"/stripe-*.seampack)
[ "${#packs[@]}" = 1 ] && [ -f "${packs[0]}" ] || { fail "not one stripe pack: ${packs[*]}"; finish; }
pack=$WORK/$(basename "${packs[0]}")
cp "${packs[0]}" "$pack"

run_seam plugins install "$pack" --allow-unsigned
expect_rc 14
expect_in err "'stripe' is the name of a plugin that comes with seam ($PREFIX/lib/seam/plugins/seam-stripe.so)"
[ ! -e "$PACKS/stripe" ] || fail "the refused pack was installed"

rm "$PREFIX/lib/seam/plugins/seam-stripe.so" "$PREFIX/lib/seam/plugins/seam-stripe.toml"
run_seam plugins install "$pack" --allow-unsigned
expect_rc 0
expect_in out "installed stripe " "in $PACKS/stripe (unsigned, accepted by --allow-unsigned)"
run_seam plugins list
expect_rc 0
expect_regex out '^stripe +[0-9.]+ +[0-9]+ +steps +Stripe'
expect_line out "           ABI 1.2, user: $PACKS/stripe/lib/$PLATFORM/seam-stripe.so"
run_seam plugins info stripe
expect_rc 0
expect_in out "stripe.payment_intents.create" "$PACKS/stripe/docs/stripe.md" \
  "$PACKS/stripe/suites/stripe_payments.toml"
run_seam run "$PACKS/stripe/suites/stripe_payments.toml"
expect_rc 0
expect_in out "passed, 0 failed, 0 skipped"
run_seam plugins verify
expect_rc 0
expect_in out "checked stripe "
finish
