/* Pulje: small progressive enhancements. Every page works without this file. */
(function () {
  'use strict';

  function parseDanish(text) {
    var t = (text || '').trim().replace(/\s*kr\.?$/, '');
    if (!/^-?\d{1,3}(\.\d{3})*(,\d{1,2})?$|^-?\d+(,\d{1,2})?$/.test(t)) return null;
    return parseFloat(t.replace(/\./g, '').replace(',', '.'));
  }

  function kroner(value) {
    var ore = Math.round(value * 100);
    var whole = Math.floor(Math.abs(ore) / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    var rest = Math.abs(ore) % 100;
    return (ore < 0 ? '-' : '') + whole + (rest ? ',' + (rest < 10 ? '0' : '') + rest : '') + ' kr.';
  }

  // "Vis adgangskode": a button after each password field shows what was typed, and hides it again. The
  // field is a password field again before the form is sent, so the browser stores nothing as plain text.
  document.querySelectorAll('input[type="password"][id]').forEach(function (field) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'link-button show-password';
    button.setAttribute('aria-controls', field.id);
    button.setAttribute('aria-pressed', 'false');
    button.textContent = 'Vis adgangskode';
    field.insertAdjacentElement('afterend', button);
    button.addEventListener('click', function () {
      var shown = field.type === 'password';
      field.type = shown ? 'text' : 'password';
      button.setAttribute('aria-pressed', shown ? 'true' : 'false');
      button.textContent = shown ? 'Skjul adgangskode' : 'Vis adgangskode';
    });
    if (field.form) {
      field.form.addEventListener('submit', function () {
        field.type = 'password';
        button.setAttribute('aria-pressed', 'false');
        button.textContent = 'Vis adgangskode';
      });
    }
  });

  // Live character counts under answers with a limit.
  document.querySelectorAll('.char-count[data-for]').forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute('data-for'));
    var max = parseInt(counter.getAttribute('data-max'), 10);
    if (!field) return;
    function update() {
      var n = field.value.length;
      counter.textContent = n + ' af ' + max + ' tegn' + (n > max ? ' – ' + (n - max) + ' for mange' : '');
      counter.classList.toggle('over', n > max);
    }
    field.addEventListener('input', update);
    update();
  });

  // The budget's totals follow what is typed; the server recomputes them on every save.
  var budget = document.querySelector('.budget-form');
  var totalsTable = document.getElementById('budget-totaler');
  if (budget && totalsTable) {
    var live = document.createElement('p');
    live.id = 'budget-live';
    live.className = 'visually-hidden';
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    budget.appendChild(live);
    var row = function (label, amount) {
      var tr = document.createElement('tr');
      var th = document.createElement('th');
      th.setAttribute('scope', 'row');
      th.textContent = label;
      var td = document.createElement('td');
      td.className = 'amount';
      td.textContent = kroner(amount);
      tr.appendChild(th);
      tr.appendChild(td);
      return tr;
    };
    var updateBudget = function () {
      var total = 0, years = {}, categories = {}, order = [];
      budget.querySelectorAll('.budget-line').forEach(function (line) {
        var i = line.getAttribute('data-line');
        var units = parseDanish((line.querySelector('[name="budget[' + i + '][units]"]') || {}).value);
        var price = parseDanish((line.querySelector('[name="budget[' + i + '][unitPrice]"]') || {}).value);
        var year = (line.querySelector('[name="budget[' + i + '][year]"]') || {}).value;
        var category = line.querySelector('[name="budget[' + i + '][category]"]');
        if (units === null || price === null) return;
        var amount = Math.round(units * price * 100) / 100;
        total += amount;
        years[year] = (years[year] || 0) + amount;
        if (category && category.value) {
          var name = category.options[category.selectedIndex].text;
          if (!(name in categories)) order.push(name);
          categories[name] = (categories[name] || 0) + amount;
        }
      });
      var body = totalsTable.querySelector('tbody');
      while (body.firstChild) body.removeChild(body.firstChild);
      Object.keys(years).sort().forEach(function (y) { body.appendChild(row('Projektår ' + y, years[y])); });
      order.forEach(function (name) { body.appendChild(row(name, categories[name])); });
      document.getElementById('budget-i-alt').textContent = kroner(total);
      live.textContent = 'Budgettet er i alt ' + kroner(total);
    };
    budget.addEventListener('input', updateBudget);
    budget.addEventListener('change', updateBudget);
  }

  // An export made in the background: its page asks how far it has come every second and moves the bar;
  // when it is finished the page is loaded again, with the download button or what went wrong.
  var exportStatus = document.querySelector('[data-export-status]');
  if (exportStatus && window.fetch) {
    var exportBar = exportStatus.querySelector('progress');
    var exportText = exportStatus.querySelector('[data-export-text]');
    var pollExport = function () {
      fetch(exportStatus.getAttribute('data-export-status'), {
        headers: { 'Accept': 'application/json' }, credentials: 'same-origin', cache: 'no-store'
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { setTimeout(pollExport, 5000); return; }
          if (state.finished) { window.location.reload(); return; }
          exportBar.value = state.percent;
          exportBar.textContent = state.percent + ' %';
          if (exportText.textContent !== state.text) exportText.textContent = state.text;
          setTimeout(pollExport, 1000);
        })
        .catch(function () { setTimeout(pollExport, 5000); });
    };
    setTimeout(pollExport, 1000);
  }

  // Autosave: after a pause in typing and on leaving a field. Each save carries the version the page
  // has; when someone else saved first the server refuses, and we stop and say so rather than overwrite.
  var form = document.querySelector('form[data-autosave]');
  if (form && window.fetch && window.FormData && window.URLSearchParams) {
    var status = document.getElementById('gem-status');
    var timer = null, dirty = false, saving = false, stopped = false, submitAfterSave = false;
    // The button the user pressed (it may send the form elsewhere, e.g. "Indsend rapporten").
    var submitter = null;
    var resubmit = function () {
      if (submitter && form.requestSubmit) form.requestSubmit(submitter); else form.submit();
    };
    // The submission and approval forms wait for the last save, so they carry the version just saved.
    var pendingSubmit = null;
    var lastSaved = document.getElementById('senest-gemt');
    // Problems the server names by field ("budget.0") are shown at that line, where the user is.
    var showFieldProblems = function (fields) {
      form.querySelectorAll('.autosave-problem').forEach(function (old) { old.parentNode.removeChild(old); });
      Object.keys(fields || {}).forEach(function (field) {
        var parts = field.split('.');
        var place = parts.length === 2 ? form.querySelector('[data-line="' + parts[1] + '"]') : null;
        if (!place || parts[0] !== 'budget') return;
        var note = document.createElement('p');
        note.className = 'error autosave-problem';
        note.textContent = fields[field];
        place.insertBefore(note, place.children[1] || null);
      });
    };
    // The sections menu follows each save: what is missing per section, and how many are ready.
    var updateSections = function (counts) {
      if (!counts) return;
      var items = document.querySelectorAll('.form-sections [data-section]');
      var done = 0;
      items.forEach(function (item) {
        var key = item.getAttribute('data-section');
        var state = item.querySelector('.section-state');
        if (key in counts && state) {
          var n = counts[key];
          state.textContent = n === 0 ? 'Klar' : 'Mangler ' + n;
          state.className = 'section-state ' + (n === 0 ? 'done' : 'missing');
        }
        if (state && state.classList.contains('done')) done += 1;
      });
      var summary = document.getElementById('afsnit-status');
      var bar = document.getElementById('afsnit-fremskridt');
      if (summary) summary.textContent = done + ' af ' + items.length + ' afsnit er klar til indsendelse.';
      if (bar) { bar.value = done; bar.textContent = done + ' af ' + items.length; }
    };
    var setVersion = function (version) {
      document.querySelectorAll('input[name="version"]').forEach(function (input) { input.value = version; });
    };
    var say = function (text, kind) {
      status.textContent = text;
      status.className = 'save-status' + (kind ? ' ' + kind : '');
    };
    var save = function () {
      if (!dirty || saving || stopped) return;
      saving = true;
      dirty = false;
      fetch(form.getAttribute('data-autosave'), {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Accept': 'application/json', 'X-Pulje-Autosave': '1' },
        body: new URLSearchParams(new FormData(form))
      }).then(function (response) {
        return response.json().then(function (json) { return { status: response.status, json: json }; });
      }).then(function (result) {
        saving = false;
        if (result.status === 200 || result.status === 422) showFieldProblems(result.json.fields);
        if (result.status === 200) {
          setVersion(result.json.version);
          if (form.elements['base'] && result.json.base) form.elements['base'].value = result.json.base;
          if (lastSaved) lastSaved.textContent = result.json.savedAt + ' af ' + result.json.savedBy;
          updateSections(result.json.sections);
        }
        if (result.status === 200 && submitAfterSave) {
          // The user pressed Gem while this save ran: submit the form now, from the new version.
          stopped = true;
          resubmit();
          return;
        }
        if (result.status === 200 && pendingSubmit) {
          // Typed again while that save ran: save that too before submitting.
          if (dirty) { save(); return; }
          var next = pendingSubmit;
          pendingSubmit = null;
          stopped = true;
          next.submit();
          return;
        }
        pendingSubmit = null;
        if (result.status === 200 && dirty && !stopped) {
          // Typed (or left a field) while this save ran: not "Gemt" yet, the rest follows at once.
          say('Gemmer dine seneste ændringer …');
          schedule(200);
          return;
        } else if (result.status === 200) {
          say(result.json.message, 'saved');
        } else if (result.status === 409) {
          stopped = true;
          say(result.json.message, 'conflict');
        } else {
          say(result.json.message || 'Kunne ikke gemme automatisk. Tryk Gem.', 'error');
        }
        if (dirty && !stopped) schedule(1500);
      }).catch(function () {
        saving = false;
        pendingSubmit = null;
        if (submitAfterSave) { submitAfterSave = false; stopped = true; resubmit(); return; }
        dirty = true;
        say('Ingen forbindelse – dine seneste ændringer er ikke gemt endnu. Vi prøver igen; du kan også trykke Gem.', 'error');
        schedule(5000);
      });
    };
    var schedule = function (delay) {
      clearTimeout(timer);
      timer = setTimeout(save, delay);
    };
    form.addEventListener('input', function () { dirty = true; say('Ændringer ikke gemt endnu …'); schedule(2000); });
    form.addEventListener('change', function () { dirty = true; schedule(800); });
    form.addEventListener('focusout', function () { if (dirty) { clearTimeout(timer); save(); } });
    form.addEventListener('submit', function (event) {
      clearTimeout(timer);
      if (stopped) return;
      if (saving) {
        submitter = event.submitter || null;
        // Leaving the last field started a save; let it finish so the form carries the new version.
        event.preventDefault();
        submitAfterSave = true;
        say('Gemmer …');
        return;
      }
      dirty = false;
      stopped = true;
    });
    document.querySelectorAll('form[data-submit-after-save]').forEach(function (submitForm) {
      submitForm.addEventListener('submit', function (event) {
        if (!dirty && !saving) { stopped = true; return; }
        // Unsaved changes: save them first, then submit what was just saved.
        event.preventDefault();
        clearTimeout(timer);
        pendingSubmit = submitForm;
        say('Gemmer dine ændringer først …');
        if (!saving) save();
      });
    });
    // On a step of the form, the links to the other steps save what is typed first, then go.
    document.querySelectorAll('a[data-after-save]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        if (!dirty && !saving) return;
        event.preventDefault();
        clearTimeout(timer);
        pendingSubmit = { submit: function () { window.location.href = link.href; } };
        say('Gemmer dine ændringer først …');
        if (!saving) save();
      });
    });
    window.addEventListener('beforeunload', function (event) {
      if (dirty || saving) { event.preventDefault(); event.returnValue = ''; }
    });
  }
})();
