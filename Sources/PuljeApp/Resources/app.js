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

  // Live budget total while typing; the server recomputes it on every save.
  var budget = document.querySelector('.budget-form');
  if (budget) {
    var live = document.createElement('p');
    live.id = 'budget-live';
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    budget.appendChild(live);
    var updateBudget = function () {
      var total = 0, years = {};
      budget.querySelectorAll('.budget-line').forEach(function (line) {
        var i = line.getAttribute('data-line');
        var units = parseDanish((line.querySelector('[name="budget[' + i + '][units]"]') || {}).value);
        var price = parseDanish((line.querySelector('[name="budget[' + i + '][unitPrice]"]') || {}).value);
        var year = (line.querySelector('[name="budget[' + i + '][year]"]') || {}).value;
        if (units === null || price === null) return;
        var amount = Math.round(units * price * 100) / 100;
        total += amount;
        years[year] = (years[year] || 0) + amount;
      });
      var parts = Object.keys(years).sort().map(function (y) { return y + ': ' + kroner(years[y]); });
      live.textContent = 'Beregnet nu: i alt ' + kroner(total) + (parts.length ? ' (' + parts.join(', ') + ')' : '') + '.';
    };
    budget.addEventListener('input', updateBudget);
    budget.addEventListener('change', updateBudget);
    updateBudget();
  }

  // Autosave: after a pause in typing and on leaving a field. Each save carries the version the page
  // has; when someone else saved first the server refuses, and we stop and say so rather than overwrite.
  var form = document.querySelector('form[data-autosave]');
  if (form && window.fetch && window.FormData && window.URLSearchParams) {
    var status = document.getElementById('gem-status');
    var timer = null, dirty = false, saving = false, stopped = false, submitAfterSave = false;
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
        if (result.status === 200 && submitAfterSave) {
          // The user pressed Gem while this save ran: submit the form now, from the new version.
          form.elements['version'].value = result.json.version;
          stopped = true;
          form.submit();
          return;
        }
        if (result.status === 200) {
          form.elements['version'].value = result.json.version;
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
        if (submitAfterSave) { submitAfterSave = false; stopped = true; form.submit(); return; }
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
      if (saving) {
        // Leaving the last field started a save; let it finish so the form carries the new version.
        event.preventDefault();
        submitAfterSave = true;
        say('Gemmer …');
        return;
      }
      dirty = false;
      stopped = true;
    });
    window.addEventListener('beforeunload', function (event) {
      if (dirty || saving) { event.preventDefault(); event.returnValue = ''; }
    });
  }
})();
