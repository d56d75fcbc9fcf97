// How the React app uses the client (docs/api.md), kept type-checked by `tsc --noEmit`: if the
// API changes shape, this file stops compiling. The @ts-expect-error lines prove the types bite.
import { ApiError, createClient, type ResponseOf } from "./client";

const api = createClient({ baseUrl: "" });

export async function signIn(email: string, password: string): Promise<ResponseOf<"postAuthLogin">> {
  return api("postAuthLogin", { body: { email, password } });
}

export async function firstPageOfDocuments(): Promise<string[]> {
  const page = await api("getDocuments", { query: { limit: 20 } });
  return page.items.map((document) => document.id);
}

export async function documentTitle(docId: string): Promise<string | null> {
  try {
    const document = await api("getDocumentsByDocId", { params: { doc_id: docId } });
    return document.title;
  } catch (error) {
    if (error instanceof ApiError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

export async function healthy(): Promise<boolean> {
  const health = await api("getHealth");
  return health.ok;
}

export async function misuses(): Promise<void> {
  // @ts-expect-error: a route with {doc_id} needs its params
  await api("getDocumentsByDocId");
  // @ts-expect-error: unknown route names are refused
  await api("getNoSuchRoute");
  // @ts-expect-error: the login body needs a password
  await api("postAuthLogin", { body: { email: "a@b.c" } });
}
