// screenkit review: keyboard-first editing of one track. Served by the app itself
// (no CDN, no inline script: the page's Content-Security-Policy forbids both).
"use strict";
(function () {
  const body = document.body;
  const token = body.dataset.token;
  const key = body.dataset.track;
  if (!token || !key) return; // the index page has nothing to drive
  const rows = Array.from(document.querySelectorAll("#cues tbody tr"));
  const video = document.getElementById("video");
  const status = document.getElementById("status");
  const reviewer = document.getElementById("reviewer");
  const form = document.getElementById("approve-form");
  let revision = Number(body.dataset.revision || 0);
  let current = 0;
  let chain = Promise.resolve(); // saves go out one after another, in the order typed
  const timers = new Map();
  const SAVE_DELAY_MS = 250; // a pause in typing; Esc, moving away and approving save at once
  const REVIEWER_KEY = "screenkit.reviewer"; // the name typed once, kept by this browser
  const STOP_BEFORE_END_S = 0.04; // "p" stops on the cue's last frame, its text still shown
  let stopAt = null; // seconds: where the cue being played ends

  function remembered() {
    try {
      return window.localStorage.getItem(REVIEWER_KEY) || "";
    } catch (error) {
      return ""; // storage disabled: the name is asked on each page
    }
  }

  function remember(name) {
    try {
      window.localStorage.setItem(REVIEWER_KEY, name);
    } catch (error) {
      /* storage disabled: nothing to keep it in */
    }
  }

  // The name given with --reviewer, else the one typed on an earlier page; never the login name.
  if (!reviewer.value.trim()) reviewer.value = remembered();

  function api(path, payload) {
    return fetch(path, {
      method: payload === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json", "X-Review-Token": token },
      body: payload === undefined ? undefined : JSON.stringify(payload),
      cache: "no-store",
      credentials: "omit",
    }).then(async (response) => {
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.error || response.status + " " + response.statusText);
      return data;
    });
  }

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function showFindings(row, findings) {
    const cell = row.querySelector(".findings");
    cell.replaceChildren();
    for (const finding of findings) {
      const flag = document.createElement("span");
      flag.className = "flag " + finding.severity;
      flag.dataset.code = finding.code;
      flag.title = finding.message;
      flag.textContent = finding.code + " " + finding.message; // text, never markup
      cell.appendChild(flag);
    }
  }

  function save(row) {
    const index = Number(row.dataset.index);
    clearTimeout(timers.get(index));
    timers.delete(index);
    if (row.dataset.state !== "dirty") return chain;
    const text = row.querySelector("textarea").value;
    row.dataset.state = "saving";
    const started = performance.now();
    chain = chain.then(() =>
      api("/api/track/" + key + "/cue/" + index, { text: text })
        .then((data) => {
          if (row.querySelector("textarea").value === text) row.dataset.state = "saved";
          else row.dataset.state = "dirty"; // typed on while it was saving: the next save follows
          row.classList.add("edited");
          row.classList.remove("invalid");
          row.dataset.saveMs = String(performance.now() - started);
          revision = data.revision;
          body.dataset.revision = String(revision);
          showFindings(row, data.findings);
          say("Saved cue " + (index + 1) + " (journaled).");
          if (data.approval_cleared && body.dataset.approved === "true") approvalCleared(index, data.approval_cleared);
          refreshTrack();
          if (row.dataset.state === "dirty") schedule(row);
        })
        .catch((error) => {
          row.dataset.state = "dirty";
          row.classList.add("invalid");
          say("Cue " + (index + 1) + " not saved: " + error.message, true);
        })
    );
    return chain;
  }

  function approvalCleared(index, was) {
    const state = document.getElementById("review-state");
    state.replaceChildren();
    const badge = document.createElement("span");
    badge.className = "badge cleared";
    badge.textContent = "approval cleared";
    const by = was && was.by ? " by " + was.by : "";
    state.append(badge, " edited after the approval" + by + ": approve again to write the edits");
    body.dataset.approved = "false";
    say(
      "Cue " + (index + 1) + " edited after the approval" + by + ": the approval is cleared. " +
        "The approved file stays as it was until you approve the track again."
    );
  }

  function schedule(row) {
    const index = Number(row.dataset.index);
    row.dataset.state = "dirty";
    clearTimeout(timers.get(index));
    timers.set(index, setTimeout(() => save(row), SAVE_DELAY_MS));
  }

  function saveAll() {
    for (const row of rows) if (row.dataset.state === "dirty") save(row);
    return chain;
  }

  let refreshTimer = null;
  function refreshTrack() {
    if (!video) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      const old = video.querySelector("track");
      const fresh = document.createElement("track");
      fresh.kind = "subtitles";
      fresh.srclang = old ? old.srclang : "";
      fresh.label = old ? old.label : "edited";
      fresh.src = "/track/" + key + "/subtitles.vtt?token=" + encodeURIComponent(token) + "&v=" + revision;
      fresh.default = true;
      if (old) old.remove();
      video.appendChild(fresh);
      fresh.track.mode = "showing";
    }, 300);
  }

  function seek(row) {
    if (!video) return;
    stopAt = null; // moving to another cue ends the playing of one
    video.currentTime = Number(row.dataset.start) / 1000 + 0.001;
  }

  // "p": play from the cue's start and stop at its end (checked every frame, and on each
  // timeupdate where frames are not drawn).
  function playCue(row) {
    seek(row);
    const end = Number(row.dataset.end) / 1000;
    stopAt = end;
    body.dataset.playing = "cue";
    video.play().catch((error) => {
      stopAt = null;
      body.dataset.playing = "no";
      say("Cannot play the video: " + error.message, true);
    });
    requestAnimationFrame(watchEnd);
  }

  function watchEnd() {
    if (stopAt === null) return;
    if (video.currentTime >= stopAt - STOP_BEFORE_END_S) {
      const end = stopAt;
      stopAt = null;
      video.pause();
      video.currentTime = Math.max(0, end - STOP_BEFORE_END_S);
      body.dataset.playing = "stopped";
      return;
    }
    requestAnimationFrame(watchEnd);
  }
  if (video) {
    video.addEventListener("timeupdate", watchEnd);
    video.addEventListener("pause", () => {
      if (stopAt !== null) {
        stopAt = null; // paused by hand
        body.dataset.playing = "stopped";
      }
    });
  }

  function select(index, edit) {
    if (index < 0 || index >= rows.length) return;
    const previous = rows[current];
    if (previous && previous.dataset.state === "dirty") save(previous);
    if (previous) previous.classList.remove("current");
    current = index;
    const row = rows[current];
    row.classList.add("current");
    row.scrollIntoView({ block: "nearest" });
    seek(row);
    if (edit) row.querySelector("textarea").focus();
    else row.focus({ preventScroll: true });
  }

  // One listener of each kind on the table body, not four per row: a 2,000-cue page
  // starts without 8,000 handlers to attach.
  const tbody = document.querySelector("#cues tbody");
  const rowOf = (target) => (target instanceof Element ? target.closest("tr") : null);
  tbody.addEventListener("input", (event) => {
    const row = rowOf(event.target);
    if (row) schedule(row);
  });
  tbody.addEventListener("focusin", (event) => {
    const row = rowOf(event.target);
    if (row && event.target instanceof HTMLTextAreaElement && rows[current] !== row) select(Number(row.dataset.index), true);
  });
  tbody.addEventListener("focusout", (event) => {
    const row = rowOf(event.target);
    if (row && event.target instanceof HTMLTextAreaElement) save(row);
  });
  tbody.addEventListener("click", (event) => {
    const row = rowOf(event.target);
    if (row && !(event.target instanceof HTMLTextAreaElement)) select(Number(row.dataset.index), false);
  });

  document.addEventListener("keydown", (event) => {
    const editing = event.target instanceof HTMLTextAreaElement;
    const inForm = event.target instanceof HTMLInputElement;
    if (editing) {
      if (event.key === "Escape") {
        event.preventDefault();
        save(rows[current]);
        rows[current].focus({ preventScroll: true });
      } else if ((event.key === "Enter" && (event.ctrlKey || event.metaKey)) || (event.altKey && event.key === "ArrowDown")) {
        event.preventDefault();
        select(current + 1, true);
      } else if (event.altKey && event.key === "ArrowUp") {
        event.preventDefault();
        select(current - 1, true);
      } else if (event.key === "s" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        save(rows[current]);
      }
      return;
    }
    if (inForm || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "ArrowDown" || event.key === "j") {
      event.preventDefault();
      select(current + 1, false);
    } else if (event.key === "ArrowUp" || event.key === "k") {
      event.preventDefault();
      select(current - 1, false);
    } else if (event.key === "Enter") {
      event.preventDefault();
      select(current, true);
    } else if (event.key === "p" && video) {
      event.preventDefault();
      playCue(rows[current]);
    } else if (event.key === "A") {
      event.preventDefault();
      reviewer.focus();
      reviewer.select();
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = reviewer.value.trim();
    if (!name) {
      say("Who approves the track? Type your name once: this browser remembers it.", true);
      reviewer.focus();
      return;
    }
    remember(name);
    saveAll()
      .then(() => {
        if (rows.some((row) => row.dataset.state === "dirty")) throw new Error("some cues could not be saved");
        return api("/api/track/" + key + "/approve", { reviewer: name });
      })
      .then((data) => {
        const state = document.getElementById("review-state");
        state.replaceChildren();
        const badge = document.createElement("span");
        badge.className = "badge reviewed";
        badge.textContent = "reviewed";
        state.append(badge, " by " + data.reviewed_by + " " + data.reviewed_at);
        body.dataset.approved = "true";
        say("Approved: " + data.track + " written" + (data.manifest ? ", " + data.manifest + " updated" : "") + ".");
      })
      .catch((error) => say("Not approved: " + error.message, true));
  });

  window.addEventListener("beforeunload", (event) => {
    if (rows.some((row) => row.dataset.state === "dirty" || row.dataset.state === "saving")) {
      saveAll();
      event.preventDefault();
    }
  });

  // After the first frame: focusing forces a layout of the whole table, which must not
  // hold back the first paint.
  requestAnimationFrame(() =>
    setTimeout(() => {
      if (rows.length && !tbody.querySelector("tr.current")) rows[0].classList.add("current");
      if (rows.length && document.activeElement === body) rows[0].focus({ preventScroll: true });
      body.dataset.ready = "true";
    }, 0)
  );
})();
