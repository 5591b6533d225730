/**
 * What the in-process simulator CLIs (cli.ts, whatif-cli.ts) share: the options --plan, --seed, --policy
 * and --help, their checks and messages, and loading the plan. Each step prints its own error and returns
 * the exit code instead of a value: 2 for bad arguments (after the usage line where it helps), 1 for a bad
 * plan, 0 for --help.
 */
import type { RoutingPolicyName } from '@yimen/shared';
import { POLICIES } from '../domain/routing.js';
import type { ResolvedPlan } from './plan.js';
import { loadPlan, PlanError } from './plan.js';

/** The options every in-process CLI takes; spread them into its parseArgs options. */
export const PLAN_OPTIONS = {
  plan: { type: 'string' },
  seed: { type: 'string' },
  policy: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface PlanValues {
  plan?: string | undefined;
  seed?: string | undefined;
  policy?: string | undefined;
  help?: boolean | undefined;
}

/**
 * Runs `parse` (the CLI's parseArgs call, with PLAN_OPTIONS among its options) and checks the shared
 * options, in this order: parse errors, --help, --plan required, --seed a whole number ≥ 0 (default 1),
 * --policy a known one. Returns the values with the plan file, seed and policy, or the exit code.
 */
export function planArgs<V extends PlanValues>(
  parse: () => { values: V },
  usage: string,
): { values: V; file: string; seed: number; policy: RoutingPolicyName | undefined } | number {
  let values: V;
  try {
    values = parse().values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.plan) {
    console.error(`--plan is required\n${usage}`);
    return 2;
  }
  const seed = Number(values.seed ?? '1');
  if (!Number.isInteger(seed) || seed < 0) {
    console.error(`--seed must be a whole number ≥ 0, not ${values.seed}`);
    return 2;
  }
  const policy = values.policy as RoutingPolicyName | undefined;
  if (policy !== undefined && !Object.hasOwn(POLICIES, policy)) {
    console.error(`--policy must be one of ${Object.keys(POLICIES).join(', ')}, not ${policy}`);
    return 2;
  }
  return { values, file: values.plan, seed, policy };
}

/** Loads the plan, or prints its problems and returns 1. `shape` (e.g. a stretch) may throw PlanError too. */
export function planOrExit(file: string, shape: (plan: ResolvedPlan) => ResolvedPlan = (p) => p): ResolvedPlan | number {
  try {
    return shape(loadPlan(file));
  } catch (e) {
    if (e instanceof PlanError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}
