import { AthleteViews } from '@astral/lib/athletes';
import { ForbiddenError, httpHandler, NotFoundError, ok, type InputOf } from '@astral/lib/http';
import { authorizeOrganizationAction, membershipView } from '@astral/lib/organizations';
import { ActivityRepository, documentClient, MemberRepository, OrganizationRepository, tableName } from '@astral/lib/repositories';
import { contract } from './contract';

const client = documentClient();
const organizations = new OrganizationRepository(client, tableName());
const members = new MemberRepository(client, tableName());
const activities = new ActivityRepository(client, tableName());
const views = new AthleteViews(client, tableName());

/** A coach's view shows the athlete's latest activities, as summaries; older ones are a list call away. */
const RECENT_ACTIVITIES = 20;

/**
 * The coach view of one member (privacy context `coach_view`): the membership is the organization's
 * own data; the athlete's profile and activities are shaped for this viewer by the engine, so an
 * athlete's settings hold here too (an admin sees the public view).
 */
export async function handle({ params, principal }: InputOf<typeof contract>) {
  const org = await organizations.getConsistent(params.org_id);
  if (!org) throw new NotFoundError('organization not found');
  const permission = authorizeOrganizationAction(
    principal,
    { head_coach_user_id: org.head_coach_user_id, coach_user_ids: org.coaches.map((c) => c.user_id), caller_is_active_member: false },
    'member:view',
  );
  if (!permission.allowed) throw new ForbiddenError("only the organization's coaches and admins may view a member");
  // Strongly consistent (it decides access); a removed member's tombstone is no member.
  const member = await members.get(params.org_id, params.user_id);
  if (!member || member.status === 'removed') throw new NotFoundError('member not found');
  const [related, page] = await Promise.all([
    views.relate(principal, [params.user_id], 'coach_view'),
    activities.listSummaries(params.user_id, { limit: RECENT_ACTIVITIES }),
  ]);
  const decision = related.decide(params.user_id, 'coach_view');
  const athlete = related.profileOf(params.user_id) ? related.profile(params.user_id, decision) : { user_id: params.user_id };
  return ok({
    member: membershipView(member),
    athlete,
    activities: decision.audience ? related.activities(params.user_id, page.summaries, decision) : [],
  });
}

export const handler = httpHandler(contract, handle);
