// Lambda's Node.js runtime resolves a package the function does not ship from the layer directories
// under /opt, newest-runtime directory first; Node's own resolution runs first, so /var/task wins.
// Synchronous, in-thread hooks (module.registerHooks): no loader thread whose start-up and messaging
// would be counted in every cold start we measure.
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

const BARE = /^(node:|file:|data:|\.{0,2}\/)/;

/** Installs the layer fallback; every file URL resolved afterwards is added to `loaded`, if given. */
export function installLayerResolution(root, loaded) {
  const layerDirs = [`${root}/opt/nodejs/node24/node_modules`, `${root}/opt/nodejs/node_modules`];
  registerHooks({
    resolve(specifier, context, nextResolve) {
      let result;
      try {
        result = nextResolve(specifier, context);
      } catch (error) {
        if (BARE.test(specifier) || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
        for (const dir of layerDirs) {
          try {
            const candidate = nextResolve(specifier, { ...context, parentURL: pathToFileURL(`${dir}/../index.mjs`).href });
            if (candidate.url.startsWith(pathToFileURL(dir).href)) {
              result = candidate;
              break;
            }
          } catch {
            // not in this layer directory
          }
        }
        if (!result) throw error;
      }
      if (loaded && result.url.startsWith('file:')) loaded.add(result.url);
      return result;
    },
  });
}
