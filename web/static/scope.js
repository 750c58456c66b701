// The cluster views' scope form: choosing a cluster shows it at once (the form still works without script).
document.querySelectorAll("form.scope select[data-submit]").forEach((select) => {
  select.addEventListener("change", () => select.form.requestSubmit());
});
