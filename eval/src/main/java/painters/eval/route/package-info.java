/**
 * Routing over layer plans of a frozen model: a learned router that picks, per input, which of a few plans runs
 * (from the state the plans share), trained on each plan's per-input cost plus a compute penalty; and the routed
 * scores with their standard errors, against the static plans and against the plans mixed at random in the
 * router's proportions (equal expected compute).
 */
package painters.eval.route;
