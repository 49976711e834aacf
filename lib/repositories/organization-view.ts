import type { Organization } from './organization-repository';

/**
 * The organization as the documents show it. The plan stays internal; `settings` is omitted from the
 * create response when empty, exactly as the document's example shows.
 */
export function organizationView(org: Organization, options: { includeEmptySettings: boolean }): Record<string, unknown> {
  const view: Record<string, unknown> = { org_id: org.org_id, org_name: org.org_name };
  if (org.description !== undefined) view.description = org.description;
  view.head_coach_user_id = org.head_coach_user_id;
  view.coaches = org.coaches.map((c) => ({ user_id: c.user_id, name: c.name, role: c.role }));
  if (options.includeEmptySettings || Object.keys(org.settings).length > 0) view.settings = org.settings;
  view.created_at = org.created_at;
  return view;
}
