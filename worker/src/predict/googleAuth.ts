/**
 * OAuth headers for HTTP predict calls in a project: private and PSC endpoints take the
 * same `Authorization: Bearer` token as the public API (Vertex docs, "Send an online
 * prediction request to a private endpoint": `-H "Authorization: Bearer $(gcloud auth
 * print-access-token)"`). The library caches and refreshes the token.
 */
import { GoogleAuth } from "google-auth-library";

export function googleAuthHeaders(): () => Promise<Record<string, string>> {
  const auth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  return async () => {
    const headers = await auth.getRequestHeaders();
    // google-auth-library 10 returns a Headers object; 9 returned a plain record.
    return headers instanceof Headers
      ? Object.fromEntries(headers.entries())
      : { ...(headers as Record<string, string>) };
  };
}
