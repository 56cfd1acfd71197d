import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct } from "constructs";

export interface TlsCertificateProps {
  /** Domain the models are served under; an issued certificate covers `*.<domain>`. */
  readonly domain: string;
  /**
   * Route 53 hosted zone of `domain`, where the DNS record that proves ownership goes.
   * @default - none: `certificateArn` must be given
   */
  readonly route53ZoneId?: string;
  /**
   * An existing ACM certificate covering `*.<domain>`, used as it is.
   * @default - none: ACM issues one, validated through `route53ZoneId`
   */
  readonly certificateArn?: string;
}

/**
 * The certificate of the models' TLS listeners: the given ACM certificate, or a wildcard
 * certificate for *.<domain> that ACM issues once a DNS record in the Route 53 zone proves
 * ownership (and renews as long as the record stays).
 */
export class TlsCertificate extends Construct {
  /** ARN of an issued certificate: using it waits for the validation to finish. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: TlsCertificateProps) {
    super(scope, id);
    if (props.certificateArn !== undefined) {
      this.arn = props.certificateArn;
      return;
    }
    if (props.route53ZoneId === undefined) throw new Error("a certificate needs certificateArn or route53ZoneId");
    const certificate = new AcmCertificate(this, "certificate", {
      domainName: `*.${props.domain}`,
      validationMethod: "DNS",
      lifecycle: { createBeforeDestroy: true },
    });
    const proof = certificate.domainValidationOptions.get(0);
    const record = new Route53Record(this, "validation-record", {
      zoneId: props.route53ZoneId,
      name: proof.resourceRecordName,
      type: proof.resourceRecordType,
      records: [proof.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    });
    this.arn = new AcmCertificateValidation(this, "validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: [record.fqdn],
    }).certificateArn;
  }
}
