// The claim payment page: Stripe.js collects the card, our server charges the SME share,
// and Stripe.js finishes any card authentication. The claim turns paid only when
// Stripe's signed webhook reaches the server, never because this page says so.
(function () {
  var form = document.getElementById("payment-form");
  var stripe = Stripe(form.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var errorBox = document.getElementById("payment-error");
  var button = document.getElementById("pay");
  var attempt = 0;  // each try with a card is a request of its own; a repeat of one try is not

  function fail(message) {
    errorBox.textContent = message;
    button.disabled = false;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    button.disabled = true;
    errorBox.textContent = "";
    var token = await stripe.createToken(card);
    if (token.error) { return fail(token.error.message || "Card error"); }
    attempt += 1;
    var body = new URLSearchParams({
      csrf_token: form.dataset.csrf,
      form_token: form.dataset.formToken + "-" + attempt,
      payment_method: token.token.card.id,
    });
    var response = await fetch("/claims/" + form.dataset.claim + "/pay", { method: "POST", body: body });
    var answer = await response.json();
    if (!response.ok) { return fail(answer.error); }
    if (answer.clientSecret) {
      var confirmed = await stripe.confirmCardPayment(answer.clientSecret);
      if (confirmed.error) { return fail(confirmed.error.message || "Authentication failed"); }
    }
    window.location = "/claims/" + form.dataset.claim + "?paying=1";
  });
})();
