/**
 * Privacy policy engine (spec/privacy.md; plain-words version in docs/privacy.md). Pure: no I/O, no
 * clock, no exceptions for user input. Every read path that returns an athlete's data goes through it.
 *
 * A read endpoint does, per athlete (or once per athlete for a list):
 *
 *   const settings = resolveSettings(profile.privacy);                      // defaults for missing keys
 *   const facts = buildRelationshipFacts({ ...records, athlete_id });       // records: a FactsInput, see below
 *   const relationship = resolveRelationship(facts);                         // self|coach|group|public|anonymous
 *   const decision = decisionFor(settings, relationship, 'activity');        // cached; cheap per item
 *   const body = shapeActivity(activity, decision, profile.privacy_zones ?? []) ?? notFound(); // undefined = hidden (404 / leave out)
 *
 * and for a list, `resolveRelationships(records, athleteIds)` once. The records (the viewer, the
 * organizations and the memberships, each tie with the consent of the user who holds it) come from
 * reads the request makes anyway: the profiles it reads carry their users' ties (ADR 0006) and an
 * organization it is about comes from its own item; lib/relationships turns them into records
 * (factsFromProfiles). A tie relates anyone only while active and accepted by the user it is about
 * (spec/privacy.md §8, ADR 0007): a pending or declined one relates nobody. `decide(request)` returns
 * the same decision plus `reasons` (rule ids, see RULES) for tests and the owner preview;
 * `buildPreview` assembles that endpoint's body.
 *
 * Writes: `applyPrivacyPatch(current, body.privacy)` → `{ ok, settings, changed }` or `{ ok: false,
 * issues }` with `privacy.<key>` paths for the 400's details.
 *
 * Contexts: profile (GET /users/{id}), activity (a user's activities), feed (an org feed; skip items
 * whose shapeActivity is undefined), coach_view (org coach's view of one member), roster (members list
 * with include_profile_status: shapeRosterProfile, which adds profile_status only for a member who
 * accepted), leaderboard (isOnLeaderboard to filter before ranking, then shapeLeaderboardEntry).
 */
export {
  PRIVACY_KEYS,
  PARTICIPATE_ALIAS,
  DEFAULT_PRIVACY,
  isPrivacyKey,
  resolveSettings,
  applyPrivacyPatch,
  parsePrivacyPatch,
  settingsBits,
  settingsFromBits,
  type PrivacyKey,
  type PrivacySettings,
  type PrivacyIssue,
  type PrivacyPatchResult,
  type PrivacyPatchUpdates,
} from './settings';
export { CONSENT_ANSWERS, CONSENTS, consentOf, isAccepted, type Consent, type ConsentAnswer } from './consent';
export {
  RELATIONSHIPS,
  RELATIONSHIP_RULES,
  explainRelationship,
  resolveRelationship,
  viewerOf,
  type Relationship,
  type RelationshipFacts,
  type RelationshipExplanation,
  type RelationshipRuleId,
  type OrganizationFacts,
  type Viewer,
} from './relationship';
export {
  buildRelationshipFacts,
  buildRelationshipFactsForAthletes,
  resolveRelationships,
  type FactsInput,
  type MembershipRecord,
  type OrganizationRecord,
} from './facts';
export {
  FIELD_GROUPS,
  CONTEXTS,
  DETAIL_SETTING,
  RULES,
  RULE_IDS,
  type FieldGroup,
  type DetailGroup,
  type DetailSetting,
  type PolicyContext,
  type RuleId,
  type Effect,
  type Reason,
  type ReasonTarget,
} from './rules';
export {
  decide,
  decisionFor,
  explain,
  allows,
  type Decision,
  type DecisionRequest,
  type DecisionResult,
  type LeaderboardDecision,
} from './engine';
export {
  FIELD_TABLE,
  NESTED_FIELDS,
  OWNER_ACTIVITY_FIELDS,
  OWNER_PROFILE_FIELDS,
  ROSTER_MEMBER_FIELDS,
  PROFILE_STATUS_FLAGS,
  ROSTER_PROFILE_FIELDS,
} from './fields';
export {
  isOwnerView,
  shapeActivity,
  shapeActivities,
  shapeProfile,
  isOnLeaderboard,
  shapeLeaderboardEntry,
  shapeRosterProfile,
  type View,
  type ProfileRecord,
  type ProfileView,
  type LeaderboardMetric,
  type LeaderboardCandidate,
  type LeaderboardEntry,
  type RosterMember,
  type ProfileStatusFlags,
} from './redact';
export {
  EARTH_RADIUS_M,
  POLYLINE_PRECISION,
  haversineMeters,
  insideAnyZone,
  maskMap,
  maskPolyline,
  type LatLng,
  type PrivacyZone,
} from './zones';
export {
  PREVIEW_AUDIENCES,
  PREVIEW_CONTEXTS,
  buildPreview,
  type PreviewAudience,
  type PreviewContext,
  type PreviewInput,
  type PreviewReason,
  type Preview,
} from './preview';
