/**
 * The certificate the stand-in's PSC front serves, made like Google's (contract/psc.ts
 * cites the page): self-signed, subject alternative name `*.prediction.p.vertexai.goog`
 * and nothing else (no IP), valid 10 years. Generated at start-up with `selfsigned`
 * (node:crypto signs data but cannot build an X.509 certificate), so a fresh clone needs
 * no openssl binary and no key in the repository.
 */
import { generate } from "selfsigned";
import { PSC_DNS_DOMAIN } from "../../contract/psc";

/** The project number the stand-in's PSC host names carry (`ENDPOINT_ID-REGION-PROJECT_NUMBER`). */
export const STAND_IN_PROJECT_NUMBER = "100000000001";

export interface PscServingCertificate {
  /** PEM of the self-signed certificate (what `pinned` trusts). */
  certificate: string;
  /** PEM of its private key (the fronts only). */
  privateKey: string;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export async function generatePscCertificate(): Promise<PscServingCertificate> {
  const wildcard = `*.${PSC_DNS_DOMAIN}`;
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: "commonName", value: wildcard }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + TEN_YEARS_MS),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: wildcard }] },
    ],
  });
  return { certificate: pems.cert, privateKey: pems.private };
}
