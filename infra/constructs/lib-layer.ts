import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code, LayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { buildLayer, type LayerGroups } from '../layer-bundle';
import { FUNCTION_ARCHITECTURE, FUNCTION_RUNTIME } from './api-function';

export interface LibLayerProps {
  /** Repository root holding lib/. */
  readonly projectRoot: string;
  /** The stack's functions by group (routes, authorizer, stream consumers): one core each in the layer. */
  readonly groups: LayerGroups;
}

/**
 * lib/ as ONE layer of pre-bundled ESM (docs/adr/0001-layer-as-prebundled-esm.md), laid out as one
 * core per function, exporting only what that function imports (docs/adr/0026-a-tree-per-function.md). Built in-process
 * with esbuild, so synth needs neither Docker nor network: the `scratch` image is only there because
 * CDK's bundling options require one, and local bundling always succeeds first.
 *
 * The asset hash is taken from the OUTPUT: a dependency upgrade (SDK, zod, jose) changes the layer
 * even when lib/ itself did not, and an unchanged build keeps the same layer version.
 */
export class LibLayer extends LayerVersion {
  constructor(scope: Construct, id: string, props: LibLayerProps) {
    super(scope, id, {
      description: '@astral/lib: the shared lib as pre-bundled ESM (a core per function group, shared chunks)',
      compatibleRuntimes: [FUNCTION_RUNTIME],
      compatibleArchitectures: [FUNCTION_ARCHITECTURE],
      code: Code.fromAsset(join(props.projectRoot, 'lib'), {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: DockerImage.fromRegistry('scratch'),
          local: {
            tryBundle(outputDir: string): boolean {
              buildLayer(outputDir, { root: props.projectRoot, groups: props.groups });
              return true;
            },
          },
        },
      }),
    });
  }
}
