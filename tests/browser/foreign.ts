// A page on another origin (same site: another port of localhost, as a sibling subdomain would be)
// tries the state-changing calls with the student's cookies. Each attempt reports what it saw;
// the test then checks on the server that none of them took effect.
declare global {
  interface Window {
    API_BASE: string;
    attacks: () => Promise<Record<string, string>>;
    attackReview: (cardId: string, documentId: string) => Promise<Record<string, string>>;
  }
}

async function attempt(init: RequestInit & { path: string }): Promise<string> {
  try {
    const response = await fetch(window.API_BASE + init.path, { credentials: "include", ...init });
    return response.type === "opaque" ? "opaque" : String(response.status);
  } catch (error) {
    return `blocked: ${(error as Error).name}`;
  }
}

window.attacks = async () => {
  const json = { "Content-Type": "application/json" };
  const results: Record<string, string> = {
    // A "simple" request: no preflight, so the browser sends it with the cookie; the CSRF check refuses it.
    logout: await attempt({ path: "/v1/auth/logout", method: "POST", mode: "no-cors" }),
    syncForm: await attempt({
      path: "/v1/canvas/sync", method: "POST", mode: "no-cors", body: new URLSearchParams({ a: "b" }),
    }),
    // JSON and DELETE need a CORS preflight, which an unlisted origin fails: never sent.
    createDocument: await attempt({
      path: "/v1/documents", method: "POST", headers: json,
      body: JSON.stringify({ title: "x", filename: "x.pdf", kind: "pdf", size: 10 }),
    }),
    deleteCanvas: await attempt({ path: "/v1/canvas/connection", method: "DELETE" }),
    readSession: await attempt({ path: "/v1/auth/session", method: "GET" }),
  };
  document.getElementById("results")!.textContent = JSON.stringify(results);
  return results;
};
// A study write: rate one of the student's cards, as JSON (preflighted) and as a simple form post.
window.attackReview = async (cardId: string, documentId: string) => {
  const path = `/v1/reviews/${encodeURIComponent(cardId)}`;
  const review = JSON.stringify({ review_id: crypto.randomUUID(), document_id: documentId, rating: "easy", duration_ms: 1 });
  const results: Record<string, string> = {
    reviewJson: await attempt({ path, method: "POST", headers: { "Content-Type": "application/json" }, body: review }),
    reviewSimple: await attempt({
      path, method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: review,
    }),
  };
  document.getElementById("results")!.textContent = JSON.stringify(results);
  return results;
};
export {};
