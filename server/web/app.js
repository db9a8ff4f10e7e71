// The search page: reads its state from the URL, asks /api/search, draws
// the hits and facets. The URL is the only state, so a search can be
// shared, reloaded and navigated with the browser's back button.
//
// The server has drawn the page already, whole without this script
// (page.go), and put the API's answer beside it (#initial): the script
// draws that answer again in place, the same text, instead of asking
// for it a second time, and takes over from there.
'use strict';

(function () {
  const PAGE_SIZE = 10;
  const MAX_DEPTH = 10000; // the API serves no hit past this rank

  const $ = (id) => document.getElementById(id);
  const form = $('search'), input = $('q'), sortSel = $('sort');
  const summary = $('summary'), filters = $('filters'), errorBox = $('error');
  const results = $('results'), facets = $('facets'), facetBox = $('facet-box'), empty = $('empty');
  // The server's pager is links; the script's is buttons, drawn here.
  const pager = $('pager');
  const prev = el('button', '', '« Sebelumnya'), next = el('button', '', 'Berikutnya »'), pageno = el('span');
  prev.type = next.type = 'button';
  prev.id = 'prev';
  next.id = 'next';
  pageno.id = 'pageno';
  pager.replaceChildren(prev, pageno, next);

  const number = new Intl.NumberFormat('id-ID');
  const dateFmt = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

  let state = readState();
  let inflight = null;

  // Autocomplete: the box's datalist holds /api/suggest's completions for
  // what is typed, asked for once typing pauses.
  const completions = $('completions');
  let suggestTimer = 0, suggestInflight = null;
  input.addEventListener('input', () => {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(async () => {
      const q = input.value;
      if (suggestInflight) suggestInflight.abort();
      if (q.trim().length < 2) {
        completions.replaceChildren();
        return;
      }
      suggestInflight = new AbortController();
      try {
        const resp = await fetch('/api/suggest?' + new URLSearchParams({ q, size: '8' }).toString(), { signal: suggestInflight.signal, headers: { Accept: 'application/json' } });
        if (!resp.ok) return;
        const body = await resp.json();
        completions.replaceChildren(...(body.completions || []).map((c) => {
          const o = document.createElement('option');
          o.value = c.text;
          return o;
        }));
      } catch (e) {
        // A failed completion is no error worth showing: searching works.
      }
    }, 150);
  });

  function readState() {
    const p = new URLSearchParams(location.search);
    return {
      q: p.get('q') || '',
      // "recent" is relevance with newer articles weighed more
      // (recent=true in the API).
      sort: p.get('recent') === 'true' ? 'recent' : (p.get('sort') || ''),
      page: Math.max(1, parseInt(p.get('page'), 10) || 1),
      sources: p.getAll('source'),
      tags: p.getAll('tag'),
      from: p.get('from') || '',
      to: p.get('to') || '',
      // A size in the URL is kept, as the server keeps it.
      size: p.get('size') || '',
      // dates=false: the query's date words are words (the chip of the
      // date the API understood was removed).
      nodates: p.get('dates') === 'false' || p.get('dates') === '0',
    };
  }

  function params(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    if (s.sort === 'recent') p.set('recent', 'true');
    else if (s.sort) p.set('sort', s.sort);
    if (s.page > 1) p.set('page', String(s.page));
    s.sources.forEach((v) => p.append('source', v));
    s.tags.forEach((v) => p.append('tag', v));
    if (s.from) p.set('from', s.from);
    if (s.to) p.set('to', s.to);
    if (s.size) p.set('size', s.size);
    if (s.nodates) p.set('dates', 'false');
    return p;
  }

  // go changes the state, records it in the URL and searches.
  function go(change) {
    state = Object.assign({}, state, { page: 1 }, change);
    const qs = params(state).toString();
    history.pushState(null, '', qs ? '?' + qs : location.pathname);
    load();
  }

  // prepare shows the state in the search form, the title and the
  // filters, before its results come.
  function prepare() {
    input.value = state.q;
    sortSel.value = state.sort || (state.q.trim() ? 'relevance' : 'date');
    document.title = state.q ? state.q + ' · cari' : 'cari · mesin pencari berita';
    drawFilters();
  }

  async function load() {
    prepare();
    if (inflight) inflight.abort();
    inflight = new AbortController();
    const p = params(state);
    if (!state.size) p.set('size', String(PAGE_SIZE));
    results.setAttribute('aria-busy', 'true');
    try {
      const resp = await fetch('/api/search?' + p.toString(), { signal: inflight.signal, headers: { Accept: 'application/json' } });
      show(resp.ok, resp.status, await resp.json(), resp.statusText);
    } catch (e) {
      if (e.name !== 'AbortError') showError('Server tidak dapat dihubungi.');
    } finally {
      results.removeAttribute('aria-busy');
    }
  }

  // show draws an answer of the API: its result, or its error.
  function show(ok, status, body, statusText) {
    if (!ok) {
      const err = body && body.error ? body.error : { code: '', message: statusText || '' };
      showError(errorText[err.code] || 'Terjadi kesalahan (' + status + ').', err.message);
      return;
    }
    showError('');
    draw(body);
  }

  // The API's messages are English, for developers: the page says in
  // Indonesian what went wrong, by the error's code, and keeps the API's
  // message as the box's tooltip.
  const errorText = {
    bad_query: 'Kueri tidak dapat diproses. Periksa tanda kutip, tanda kurung, tanggal, dan saringannya.',
    query_too_expensive: 'Kueri terlalu luas: kata dengan * atau ~ cocok dengan terlalu banyak kata. Persempit kuerinya.',
    timeout: 'Pencarian memakan waktu terlalu lama. Coba kueri yang lebih sempit.',
    overloaded: 'Server sedang sibuk. Coba lagi sebentar lagi.',
    unavailable: 'Server sedang sibuk. Coba lagi sebentar lagi.',
    // A server run with --require-search-key: the page sends no key.
    unauthorized: 'Server ini hanya menjawab pencarian yang membawa kunci API; halaman ini untuk server publik.',
  };

  function showError(msg, detail) {
    errorBox.textContent = msg;
    errorBox.title = detail || '';
    errorBox.hidden = !msg;
    if (msg) {
      results.replaceChildren();
      facets.replaceChildren();
      facetBox.hidden = true;
      summary.textContent = '';
      pager.hidden = true;
      empty.hidden = true;
    }
  }

  function draw(res) {
    const ms = number.format(Math.round(res.took_ms * 10) / 10);
    const dates = res.understood && res.understood.dates;
    if (res.total === 0 && dates) {
      // The date read out of the query: what was not found, and when.
      summary.textContent = dates.query ? 'Tidak ada berita yang cocok dengan “' + dates.query + '” pada ' + dates.label + '.'
        : 'Tidak ada berita pada ' + dates.label + '.';
    } else if (res.total === 0) {
      summary.textContent = state.q ? 'Tidak ada berita yang cocok dengan “' + state.q + '”' + (filtered() ? ' pada saringan yang aktif.' : '.')
        : filtered() ? 'Tidak ada berita yang cocok dengan saringan yang aktif.' : 'Belum ada berita.';
    } else {
      const first = (res.page - 1) * res.size + 1;
      const last = first + res.hits.length - 1;
      summary.textContent = (state.q ? '' : 'Berita terbaru: ') + number.format(first) + '–' + number.format(last) +
        ' dari ' + (res.total_exact === false ? 'sekitar ' : '') + number.format(res.total) + ' hasil (' + ms + ' md)';
    }
    results.replaceChildren(...res.hits.map(hitItem));
    drawFilters(res.understood);
    // A date alone lists its days newest first, as no query does.
    if (!state.sort && res.understood && res.understood.dates && !res.understood.dates.query) sortSel.value = 'date';
    drawSuggestion(res.suggestion);
    drawEmpty(res);
    drawFacets(res.facets || {});
    const lastPage = Math.max(1, Math.min(Math.ceil(res.total / res.size), Math.floor(MAX_DEPTH / res.size)));
    pager.hidden = res.total <= res.size && res.page === 1;
    prev.disabled = res.page <= 1;
    next.disabled = res.page >= lastPage;
    pageno.textContent = 'Halaman ' + number.format(res.page) + ' dari ' + number.format(lastPage);
  }

  // linkedTitle appends to box an article's marked title, a link to it
  // when its address is a web one.
  function linkedTitle(box, article) {
    const title = marked(article.title || article.id);
    if (isWebURL(article.url)) {
      const a = el('a');
      a.href = article.url;
      a.rel = 'noopener noreferrer';
      a.append(title);
      box.append(a);
    } else {
      box.append(title);
    }
  }

  function hitItem(hit) {
    const li = el('li', 'hit');
    const h = el('h2');
    linkedTitle(h, hit);
    const meta = el('p', 'meta');
    if (hit.source) {
      const b = el('button', 'link', hit.source);
      b.type = 'button';
      b.title = 'Hanya dari ' + hit.source;
      b.addEventListener('click', () => go({ sources: [hit.source] }));
      meta.append(b);
    }
    if (hit.published) meta.append(el('time', '', formatDate(hit.published)));
    (hit.tags || []).forEach((t) => meta.append(el('span', 'tag', t)));
    const snip = el('p', 'snippet');
    snip.append(marked(hit.snippet || ''));
    li.append(h, meta, snip);
    if (hit.others && hit.others.length) li.append(othersOf(hit.others));
    li.append(relatedToggle(hit));
    return li;
  }

  // othersOf lists, folded, the other articles of a hit's story: the
  // same story from other outlets, which the page shows once.
  function othersOf(others) {
    const box = el('details', 'others');
    box.append(el('summary', '', '+' + number.format(others.length) + ' sumber lain'));
    const list = el('ul');
    others.forEach((o) => {
      const item = el('li');
      linkedTitle(item, o);
      [o.source, o.published && formatDate(o.published)].forEach((m) => {
        if (m) item.append(' · ' + m);
      });
      list.append(item);
    });
    box.append(list);
    return box;
  }

  // relatedToggle is a button that shows, under a hit, the articles most
  // like it (/api/articles/{id}/similar), fetched when first asked for.
  function relatedToggle(hit) {
    const box = el('div', 'related');
    const b = el('button', 'link related-toggle', 'Artikel terkait');
    b.type = 'button';
    b.setAttribute('aria-expanded', 'false');
    const list = el('ul');
    list.hidden = true;
    let fetched = false;
    b.addEventListener('click', async () => {
      const open = list.hidden;
      list.hidden = !open;
      b.setAttribute('aria-expanded', String(open));
      if (!open || fetched) return;
      fetched = true;
      list.replaceChildren(el('li', '', 'Memuat…'));
      try {
        const resp = await fetch('/api/articles/' + encodeURIComponent(hit.id) + '/similar?size=3', { headers: { Accept: 'application/json' } });
        const body = await resp.json();
        if (!resp.ok) throw new Error(body && body.error ? body.error.message : resp.statusText);
        list.replaceChildren(...(body.hits.length ? body.hits.map((r) => {
          const li = el('li');
          const a = el('a');
          a.append(marked(r.title || r.id));
          if (isWebURL(r.url)) {
            a.href = r.url;
            a.rel = 'noopener noreferrer';
          } else {
            // No address: search the title as a phrase.
            a.href = '?' + new URLSearchParams({ q: '"' + a.textContent + '"' }).toString();
          }
          li.append(a);
          if (r.published) li.append(' ', el('time', '', formatDate(r.published)));
          return li;
        }) : [el('li', '', 'Tidak ada artikel terkait.')]));
      } catch (e) {
        fetched = false;
        list.replaceChildren(el('li', 'error', 'Artikel terkait tidak dapat dimuat.'));
      }
    });
    box.append(b, list);
    return box;
  }

  function filtered() {
    return state.sources.length > 0 || state.tags.length > 0 || state.from !== '' || state.to !== '';
  }

  // drawEmpty explains a search with no hits and suggests what to try.
  function drawEmpty(res) {
    empty.hidden = !(res.total === 0 && (state.q || filtered()));
    if (empty.hidden) {
      empty.replaceChildren();
      return;
    }
    const tips = el('ul');
    const tip = (...parts) => { const li = el('li'); li.append(...parts); tips.append(li); };
    if (state.q) {
      tip('Periksa ejaan kata kuncinya.');
      tip('Gunakan kata lain yang semakna, atau yang lebih umum: ', el('em', '', 'banjir'), ' alih-alih ', el('em', '', 'banjir bandang Demak'), '.');
      if (/["+:*?~]|(^|\s)-/.test(state.q)) {
        tip('Longgarkan sintaksnya: hapus tanda kutip, tanda + dan -, atau nama kolom seperti ', el('code', '', 'title:'), '.');
      } else if (state.q.split(/\s+/).length > 3) {
        tip('Gunakan lebih sedikit kata.');
      }
    }
    if (filtered()) {
      const clear = el('button', 'link', 'hapus semua saringan');
      clear.type = 'button';
      clear.id = 'clear-filters';
      clear.addEventListener('click', () => go({ sources: [], tags: [], from: '', to: '' }));
      tip('Hapus saringan sumber, topik, atau tanggal yang sedang aktif: ', clear, '.');
    }
    empty.replaceChildren(el('p', 'empty-title', 'Saran pencarian:'), tips);
  }

  // drawSuggestion offers the query with misspelt words corrected.
  function drawSuggestion(text) {
    const box = $('suggest');
    box.hidden = !text;
    if (!text) {
      box.replaceChildren();
      return;
    }
    const a = el('a', '', text);
    a.href = '?' + params(Object.assign({}, state, { q: text, page: 1 })).toString();
    a.addEventListener('click', (e) => { e.preventDefault(); go({ q: text }); });
    box.replaceChildren('Mungkin maksud Anda: ', a);
  }

  function drawFacets(f) {
    const groups = [];
    if (f.source && f.source.length) groups.push(sourceGroup(f.source));
    if (f.published && f.published.length) {
      groups.push(facetGroup('Tahun', f.published, (v) => state.from === v + '-01-01' && state.to === v + '-12-31', (v) => {
        const on = state.from === v + '-01-01' && state.to === v + '-12-31';
        go(on ? { from: '', to: '' } : { from: v + '-01-01', to: v + '-12-31' });
      }));
    }
    // Months appear once the search is narrowed to a year or a month.
    if (f.month && f.month.length && state.from && state.from.slice(0, 4) === state.to.slice(0, 4)) {
      groups.push(facetGroup('Bulan', f.month, (v) => state.from === monthRange(v).from && state.to === monthRange(v).to, (v) => {
        const r = monthRange(v);
        const y = v.slice(0, 4);
        go(state.from === r.from && state.to === r.to ? { from: y + '-01-01', to: y + '-12-31' } : r);
      }, monthLabel));
    }
    if (f.tags && f.tags.length) {
      groups.push(facetGroup('Topik', f.tags, (v) => state.tags.includes(v), (v) => {
        go({ tags: toggle(state.tags, v) });
      }));
    }
    facets.replaceChildren(...groups);
    facetBox.hidden = groups.length === 0;
  }

  // monthRange is the first and last day of a month given as YYYY-MM.
  function monthRange(v) {
    const [y, m] = v.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { from: v + '-01', to: v + '-' + String(last).padStart(2, '0') };
  }

  const monthFmt = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  function monthLabel(v) {
    const [y, m] = v.split('-').map(Number);
    return monthFmt.format(new Date(Date.UTC(y, m - 1, 1)));
  }

  // sourceGroup is a check box for each source, as the server draws
  // them: several may be chosen, and the facet still counts the others.
  // Here a box searches as soon as it changes, without the server's
  // "Terapkan".
  function sourceGroup(values) {
    const box = el('fieldset', 'facet sources');
    box.append(el('legend', '', 'Sumber'));
    const ul = el('ul');
    values.forEach((f) => {
      const li = el('li');
      const label = el('label');
      const c = el('input');
      c.type = 'checkbox';
      c.name = 'source';
      c.value = f.value;
      c.checked = state.sources.includes(f.value);
      c.addEventListener('change', () => go({ sources: toggle(state.sources, f.value) }));
      label.append(c, ' ' + f.value);
      li.append(label, el('span', 'count', number.format(f.count)));
      ul.append(li);
    });
    box.append(ul);
    return box;
  }

  function facetGroup(name, values, isOn, onClick, label) {
    const box = el('div', 'facet');
    box.append(el('h3', '', name));
    const ul = el('ul');
    values.forEach((f) => {
      const li = el('li');
      const b = el('button', isOn(f.value) ? 'link on' : 'link', label ? label(f.value) : f.value);
      b.type = 'button';
      b.setAttribute('aria-pressed', String(isOn(f.value)));
      b.addEventListener('click', () => onClick(f.value));
      li.append(b, el('span', 'count', number.format(f.count)));
      ul.append(li);
    });
    box.append(ul);
    return box;
  }

  // drawFilters draws a chip for each filter of the state, and one for the
  // date the API read out of the query (understood), whose removal
  // searches the query's date words as words.
  function drawFilters(understood) {
    const chips = [];
    state.sources.forEach((v) => chips.push(chip('Sumber: ' + v, { sources: state.sources.filter((x) => x !== v) })));
    state.tags.forEach((v) => chips.push(chip('Topik: ' + v, { tags: state.tags.filter((x) => x !== v) })));
    if (state.from || state.to) {
      const y = state.from.slice(0, 4);
      const month = state.from.slice(0, 7);
      const label = state.from === y + '-01-01' && state.to === y + '-12-31' ? 'Tahun: ' + y
        : state.from && state.from === monthRange(month).from && state.to === monthRange(month).to ? 'Bulan: ' + monthLabel(month)
        : 'Tanggal: ' + (state.from || '…') + ' s.d. ' + (state.to || '…');
      chips.push(chip(label, { from: '', to: '' }));
    }
    if (understood && understood.dates) chips.push(chip(understood.dates.label, { nodates: true }));
    filters.replaceChildren(...chips);
  }

  function chip(label, change) {
    const b = el('button', 'chip', label + ' ×');
    b.type = 'button';
    b.title = 'Hapus saringan';
    b.addEventListener('click', () => go(change));
    return b;
  }

  // marked turns the API's HTML (escaped text with <mark> around matched
  // words) into nodes, keeping <mark> and the text of anything else.
  function marked(html) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const out = document.createDocumentFragment();
    (function copy(from, to) {
      from.childNodes.forEach((n) => {
        if (n.nodeName === 'MARK') {
          const m = el('mark');
          copy(n, m);
          to.append(m);
        } else {
          to.append(n.textContent);
        }
      });
    })(doc.body, out);
    return out;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function toggle(list, v) {
    return list.includes(v) ? list.filter((x) => x !== v) : list.concat([v]);
  }

  function isWebURL(u) {
    return typeof u === 'string' && /^https?:\/\//i.test(u);
  }

  function formatDate(s) {
    const d = new Date(s + 'T00:00:00Z');
    return isNaN(d) ? s : dateFmt.format(d);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go({ q: input.value.trim(), nodates: false });
  });
  sortSel.addEventListener('change', () => go({ sort: sortSel.value }));
  prev.addEventListener('click', () => { go({ page: Math.max(1, state.page - 1) }); scrollTo(0, 0); });
  next.addEventListener('click', () => { go({ page: state.page + 1 }); scrollTo(0, 0); });
  window.addEventListener('popstate', () => { state = readState(); load(); });

  // On a narrow screen the facets start folded, so the results come
  // first; on a wide one they are always shown.
  const narrow = matchMedia('(max-width: 48rem)');
  const fold = () => { facetBox.open = !narrow.matches; };
  narrow.addEventListener('change', fold);
  fold();

  // The server's answer to this URL, when it drew one, is drawn again
  // rather than asked for.
  const initial = $('initial');
  let answer = null;
  try {
    answer = initial ? JSON.parse(initial.textContent) : null;
  } catch (e) {
    answer = null;
  }
  if (answer && answer.body) {
    prepare();
    show(answer.status >= 200 && answer.status < 300, answer.status, answer.body);
  } else {
    load();
  }
})();
