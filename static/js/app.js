// Click a transcript timestamp to play the recording from that moment. Nothing else needs script.
document.addEventListener("click", function (event) {
  var stamp = event.target.closest("button.timestamp");
  var audio = document.getElementById("recording");
  if (!stamp || !audio) return;
  audio.currentTime = parseFloat(stamp.dataset.seconds) || 0;
  audio.play();
});
