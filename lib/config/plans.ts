/** The plan catalog lives in code: a plan is a named set of features that gate endpoints. */
export const PLAN_FEATURES = ['member_management', 'training_groups', 'audit_log'] as const;
export type PlanFeature = (typeof PLAN_FEATURES)[number];

export const PLANS = {
  /** The default at creation includes member_management so the documented flow works. */
  standard: ['member_management', 'training_groups', 'audit_log'],
  basic: ['training_groups'],
} as const satisfies Record<string, readonly PlanFeature[]>;

export type PlanName = keyof typeof PLANS;
export const DEFAULT_PLAN: PlanName = 'standard';

export function planHasFeature(plan: PlanName, feature: PlanFeature): boolean {
  return (PLANS[plan] as readonly PlanFeature[]).includes(feature);
}

export const PLAN_NAMES = Object.keys(PLANS) as [PlanName, ...PlanName[]];
