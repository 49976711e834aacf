import { SecretValue, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface PageTokenSecretProps {
  /**
   * Pin the secret version the functions seal with (after `put-secret-value`, ADR 0010's rotation);
   * unset, CloudFormation resolves AWSCURRENT when it deploys the functions.
   */
  readonly currentVersionId?: string | undefined;
  /** The version before the last rotation: tokens sealed with it are still accepted. */
  readonly previousVersionId?: string | undefined;
}

/**
 * The page-token key (ADR 0010): a secret the stack generates, resolved into the list functions'
 * environment by a CloudFormation dynamic reference at deploy time. No function calls Secrets
 * Manager and no role may read the secret: the value reaches Lambda's encrypted configuration only.
 */
export class PageTokenSecret extends Construct {
  readonly secret: Secret;
  /** `{{resolve:secretsmanager:…}}` for PAGE_TOKEN_SECRET. */
  readonly current: string;
  /** The same for PAGE_TOKEN_PREVIOUS_SECRET, when a previous version is named. */
  readonly previous: string | undefined;

  constructor(scope: Construct, id: string, props: PageTokenSecretProps = {}) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Astral page-token key: seals list next_token values (ADR 0010)',
      // ~380 random bits of printable text; lib/http/page-token.ts derives the AES-256 key from it.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    const reference = (versionId: string | undefined): string =>
      SecretValue.secretsManager(this.secret.secretArn, versionId ? { versionId } : {}).unsafeUnwrap();
    this.current = reference(props.currentVersionId);
    this.previous = props.previousVersionId ? reference(props.previousVersionId) : undefined;
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the page-token key only invalidates list positions older than the rotation, so it is rotated by hand with put-secret-value and a deploy that pins the new and previous versions (ADR 0010), not by a rotation Lambda that would have to redeploy the functions itself.',
    });
  }
}
