import type { RouteDefinition } from '../functions/manifest';

export interface RouteMatch {
  readonly route: RouteDefinition;
  /** Raw (still percent-encoded) values, as API Gateway REST APIs pass them. */
  readonly pathParameters: Record<string, string> | null;
}

/** `no-method`: the path is a resource, but not with this method; `allowed` is what it has (the 405's Allow). */
export type RouteLookup =
  | { kind: 'match'; match: RouteMatch }
  | { kind: 'no-resource' }
  | { kind: 'no-method'; allowed: readonly string[] };

interface Resource {
  readonly path: string;
  readonly segments: readonly { literal?: string; param?: string }[];
  readonly methods: Map<string, RouteDefinition>;
}

const splitPath = (path: string): string[] => path.split('/').filter((segment, index) => index > 0 || segment !== '');

/**
 * Matches like API Gateway: first the most specific resource (a literal segment beats a `{param}`
 * at the first place they differ, so /users/me wins over /users/{user_id}), then the method on that
 * resource only. A path with no such method is not retried against other resources.
 */
export function createRouter(routes: readonly RouteDefinition[]): (method: string, path: string) => RouteLookup {
  const resources = new Map<string, Resource>();
  for (const route of routes) {
    let resource = resources.get(route.path);
    if (!resource) {
      const segments = splitPath(route.path).map((segment) => {
        const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment)?.[1];
        return param ? { param } : { literal: segment };
      });
      resource = { path: route.path, segments, methods: new Map() };
      resources.set(route.path, resource);
    }
    resource.methods.set(route.method, route);
  }
  const ordered = [...resources.values()];

  return (method, rawPath) => {
    const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const parts = splitPath(path);
    let best: { resource: Resource; params: Record<string, string> } | undefined;
    for (const resource of ordered) {
      if (resource.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const fits = resource.segments.every((segment, index) => {
        const part = parts[index] ?? '';
        if (segment.literal !== undefined) return segment.literal === part;
        if (part === '') return false;
        params[segment.param ?? ''] = part;
        return true;
      });
      if (fits && (!best || moreSpecific(resource, best.resource))) best = { resource, params };
    }
    if (!best) return { kind: 'no-resource' };
    const route = best.resource.methods.get(method);
    if (!route) return { kind: 'no-method', allowed: [...best.resource.methods.keys()] };
    return { kind: 'match', match: { route, pathParameters: Object.keys(best.params).length > 0 ? best.params : null } };
  };
}

function moreSpecific(a: Resource, b: Resource): boolean {
  for (let index = 0; index < a.segments.length; index += 1) {
    const aLiteral = a.segments[index]?.literal !== undefined;
    const bLiteral = b.segments[index]?.literal !== undefined;
    if (aLiteral !== bLiteral) return aLiteral;
  }
  return false;
}
