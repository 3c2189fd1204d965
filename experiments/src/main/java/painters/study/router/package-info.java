/**
 * Routers over frozen plans: a linear router per compute penalty picks a plan per input, against the best static plan
 * chosen on training scores and the oracle.
 */
package painters.study.router;
