// The student's journey as the React app would walk it, with the generated client
// (clients/typescript) from the app's own origin. tests/e2e/test_browser_journey.py loads this page
// in headless Chromium, calls one step at a time and asserts on what each step writes to the DOM.
import { ApiError, createClient } from "../../clients/typescript/client";

declare global {
  interface Window {
    API_BASE: string;
    journey: Record<string, (...args: string[]) => Promise<unknown>>;
  }
}

const api = createClient({ baseUrl: window.API_BASE });
let docId = "";

function show(id: string, text: string): void {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`no #${id} on the page`);
  element.textContent = text;
}

function list(id: string, items: string[]): void {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`no #${id} on the page`);
  element.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      li.textContent = item;
      return li;
    }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await check();
    if (found !== null) return found;
    await sleep(250);
  }
  throw new Error(`${what} did not finish within ${timeoutMs} ms`);
}

async function whoAmI(): Promise<string> {
  try {
    const session = await api("getAuthSession");
    show("user", session.user.email);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    show("user", "signed out");
  }
  return document.getElementById("user")?.textContent ?? "";
}

async function signUp(email: string, password: string): Promise<unknown> {
  await api("postAuthSignup", { body: { email, password } });
  return whoAmI();
}

async function signIn(email: string, password: string): Promise<unknown> {
  await api("postAuthLogin", { body: { email, password } });
  return whoAmI();
}

async function signOut(): Promise<unknown> {
  await api("postAuthLogout");
  return whoAmI();
}

async function upload(pdfPath: string): Promise<unknown> {
  const pdf = await (await fetch(pdfPath)).blob();
  const created = await api("postDocuments", {
    body: { title: "Tiny lecture", filename: "tiny.pdf", kind: "pdf", size: pdf.size },
  });
  docId = created.document.id;
  if (!created.upload_url) throw new Error("no upload_url");
  const put = await fetch(created.upload_url, { method: "PUT", headers: created.upload_headers, body: pdf });
  show("upload", `${put.status} ${docId}`);
  return put.status;
}

async function watchStages(): Promise<unknown> {
  const stages = await until(
    "the pipeline",
    async () => {
      const doc = await api("getDocumentsByDocId", { params: { doc_id: docId } });
      list("stages", doc.stages.map((stage) => `${stage.stage}: ${stage.status}`));
      if (doc.stages.some((stage) => stage.status === "failed")) throw new Error(JSON.stringify(doc.stages));
      const done = new Set(doc.stages.filter((stage) => stage.status === "done").map((stage) => stage.stage));
      return ["ingest", "ai", "media"].every((stage) => done.has(stage)) ? doc.stages : null;
    },
    240_000,
  );
  return stages.length;
}

async function readStudyAids(): Promise<unknown> {
  const notes = await api("getNotesByDocId", { params: { doc_id: docId } });
  if (!("summary" in notes)) throw new Error("notes are not ready");
  show("notes", `${notes.summary.title}: ${notes.summary.overview}`);
  const cards = await api("getFlashcardsByDocId", { params: { doc_id: docId } });
  if (!("cards" in cards)) throw new Error("flashcards are not ready");
  list("cards", cards.cards.map((card) => `${card.front} → ${card.back}`));
  return cards.cards.length;
}

async function readMarkdown(): Promise<unknown> {
  const doc = await api("getDocumentsByDocId", { params: { doc_id: docId } });
  if (!doc.markdown_url) throw new Error("no markdown_url");
  const markdown = await fetch(doc.markdown_url);
  show("markdown", await markdown.text());
  return markdown.status;
}

async function playVideo(): Promise<unknown> {
  const media = await api("getMediaByDocId", { params: { doc_id: docId } });
  if (!media.video) throw new Error(`no video: ${media.status}`);
  const video = document.getElementById("video") as HTMLVideoElement;
  video.muted = true;
  video.src = media.video.url;
  await new Promise<void>((resolve, reject) => {
    video.addEventListener("ended", () => resolve(), { once: true });
    video.addEventListener("error", () => reject(new Error(`video error ${video.error?.code}`)), { once: true });
    video.addEventListener("canplay", () => { video.playbackRate = 4; }, { once: true });
    void video.play().catch(reject);
  });
  show("played", `ended at ${video.currentTime.toFixed(2)} of ${video.duration.toFixed(2)} s`);
  return video.ended;
}

async function connectCanvas(): Promise<unknown> {
  const started = await api("postCanvasConnect");
  window.location.assign(started.authorize_url); // Canvas → our callback → back to this page
  return started.expires_at;
}

async function syncCanvas(): Promise<unknown> {
  const connection = await api("getCanvasConnection");
  show("canvas", connection.connected ? `connected as ${connection.canvas_user_name}` : "not connected");
  const started = await api("postCanvasSync");
  const run = await until(
    "the Canvas sync",
    async () => {
      const status = await api("getCanvasSyncBySyncId", { params: { sync_id: started.sync_id } });
      if (status.status === "failed") throw new Error(status.error ?? "sync failed");
      return status.status === "done" ? status : null;
    },
    60_000,
  );
  const courses = await api("getCanvasCourses", { query: { limit: 50 } });
  list("courses", courses.items.map((course) => course.name));
  return run.status;
}

async function landing(): Promise<void> {
  const outcome = new URLSearchParams(window.location.search);
  const canvas = outcome.get("canvas");
  if (canvas !== null) show("canvas", canvas === "connected" ? "connected" : `error ${outcome.get("code")}`);
  await whoAmI();
}

window.journey = {
  whoAmI, signUp, signIn, signOut, upload, watchStages, readStudyAids, readMarkdown, playVideo, connectCanvas,
  syncCanvas,
};
void landing().then(() => show("ready", "ready"));
