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
const studied = new Map<string, string>(); // card id → its answer, as the student read the cards

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
  for (const card of cards.cards) studied.set(card.id, card.back);
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

// --- The study loop: reviews, a quiz, the plan, a question, the Anki export ---------------------

type DueCards = Awaited<ReturnType<typeof dueCards>>;
let reviewed: { card: string; body: { review_id: string; document_id: string; rating: "good"; duration_ms: number } } | null =
  null;

async function dueCards() {
  return api("getReviewsDue", { query: { document_id: docId, limit: 200 } });
}

function showDue(due: DueCards): void {
  show("due-total", String(due.total_due));
  list("due", due.cards.map((card) => `${card.card_id} ${card.state} reps=${card.reps}: ${card.front}`));
}

async function listDue(): Promise<unknown> {
  const due = await dueCards();
  showDue(due);
  return due.cards.map((card) => card.card_id);
}

function showReview(id: string, result: { card_id: string; due: string; reviewed_at: string; replayed: boolean }): void {
  show(id, `${result.card_id} next due ${result.due} reviewed at ${result.reviewed_at} replayed=${result.replayed}`);
}

async function submitReview(cardId: string): Promise<unknown> {
  const body = { review_id: crypto.randomUUID(), document_id: docId, rating: "good" as const, duration_ms: 4200 };
  reviewed = { card: cardId, body };
  const result = await api("postReviewsByCardId", { params: { card_id: cardId }, body });
  showReview("reviewed", result);
  // Wait on the condition, not a clock: a read path that lags behind the write still gets there.
  showDue(await until(
    "the reviewed card to leave the due list",
    async () => {
      const due = await dueCards();
      return due.cards.some((card) => card.card_id === cardId) ? null : due;
    },
    30_000,
  ));
  return result.due;
}

async function retryReview(): Promise<unknown> {
  if (reviewed === null) throw new Error("no review to retry");
  const result = await api("postReviewsByCardId", { params: { card_id: reviewed.card }, body: reviewed.body });
  showReview("retried", result);
  showDue(await dueCards());
  return result.replayed;
}

function citation(source: { document_title: string; section: string; page: number | null }): string {
  return `[${source.document_title}, ${source.section}, p. ${source.page ?? "?"}]`;
}

async function takeQuiz(): Promise<unknown> {
  const quiz = await api("postQuizzes", { body: { document_id: docId, count: 5 } });
  list("quiz", quiz.questions.map((q) => `${q.kind}: ${q.prompt} ${citation(q.source)}`));
  // The student answers from the cards they read: the choice (or the words) of the card's back.
  const answers = quiz.questions.map((q) => {
    const back = studied.get(q.card_id ?? "") ?? "a guess";
    return { question_id: q.id, answer: q.choices?.find((choice) => choice === back) ?? q.choices?.[0] ?? back };
  });
  const graded = await api("postQuizzesByQuizIdAnswers", {
    params: { quiz_id: quiz.id }, body: { answers, duration_ms: 30_000 },
  });
  show("quiz-score", `${graded.score} of ${graded.total}`);
  list("graded", graded.questions.map(
    (q) => `${q.correct ? "right" : "wrong"} (answer: ${q.answer}) next due ${q.next_due ?? "-"} ${citation(q.source)}`,
  ));
  return graded.total;
}

async function readPlan(minutes: string): Promise<unknown> {
  const settings = await api("putStudySettings", { body: { daily_minutes: Number(minutes) } });
  show("budget", `${settings.daily_minutes} min/day`);
  const [plan, assignments] = await Promise.all([
    api("getPlan", { query: { days: 14 } }),
    api("getCanvasAssignments", { query: { due_from: new Date().toISOString(), limit: 200 } }),
  ]);
  const canvas = new Map(assignments.items.map((a) => [a.id, a]));
  const lines: string[] = [];
  let readings = 0;
  let matched = 0;
  for (const day of plan.days) {
    if (day.minutes > plan.daily_minutes) throw new Error(`${day.day} holds ${day.minutes} min`);
    for (const item of day.items) {
      if (item.kind === "reviews") {
        lines.push(`${day.day} reviews: ${item.card_count} cards, ${item.minutes} min`);
        continue;
      }
      readings += 1;
      const due = canvas.get(item.assignment_id ?? "");
      if (due?.due_at && item.due_at && Date.parse(due.due_at) === Date.parse(item.due_at)) matched += 1;
      lines.push(`${day.day} reading: ${item.document_title}, ${item.minutes} min, for ${item.assignment_name} due ${item.due_at}`);
    }
  }
  list("plan", lines);
  show("plan-check", `readings=${readings} against-canvas=${matched} at-risk=${plan.at_risk.length}`);
  return plan.daily_minutes;
}

async function askQuestion(question: string): Promise<unknown> {
  const answer = await api("postAsk", { body: { question, document_id: docId } });
  show("answer-found", `found=${answer.found} by ${answer.generator}`);
  list("answer", answer.sentences.map((s) => `${s.text} ${s.citations.map(citation).join(" ")}`));
  return answer.sentences.length;
}

/** The zip's entry names, from its central directory (found through the end-of-directory record). */
function zipEntries(bytes: DataView): string[] {
  let end = bytes.byteLength - 22;
  while (end >= 0 && bytes.getUint32(end, true) !== 0x06054b50) end -= 1;
  if (end < 0) return [];
  const count = bytes.getUint16(end + 10, true);
  let at = bytes.getUint32(end + 16, true);
  const names: string[] = [];
  for (let i = 0; i < count && bytes.getUint32(at, true) === 0x02014b50; i += 1) {
    const nameLength = bytes.getUint16(at + 28, true);
    const extra = bytes.getUint16(at + 30, true) + bytes.getUint16(at + 32, true);
    names.push(new TextDecoder().decode(new Uint8Array(bytes.buffer, at + 46, nameLength)));
    at += 46 + nameLength + extra;
  }
  return names;
}

async function downloadApkg(): Promise<unknown> {
  const response = await fetch(`${window.API_BASE}/v1/flashcards/${docId}/export.apkg`, { credentials: "include" });
  if (!response.ok) throw new Error(`export: HTTP ${response.status}`);
  const data = new DataView(await response.arrayBuffer());
  const magic = [0, 1, 2, 3].map((i) => data.getUint8(i).toString(16).padStart(2, "0")).join(" ");
  show("apkg", `size=${data.byteLength} magic=${magic} entries=${zipEntries(data).join(",")}`);
  return data.byteLength;
}

async function landing(): Promise<void> {
  const outcome = new URLSearchParams(window.location.search);
  const canvas = outcome.get("canvas");
  if (canvas !== null) show("canvas", canvas === "connected" ? "connected" : `error ${outcome.get("code")}`);
  await whoAmI();
}

window.journey = {
  whoAmI, signUp, signIn, signOut, upload, watchStages, readStudyAids, readMarkdown, playVideo, connectCanvas,
  syncCanvas, listDue, submitReview, retryReview, takeQuiz, readPlan, askQuestion, downloadApkg,
};
void landing().then(() => show("ready", "ready"));
