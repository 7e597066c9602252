"""TwiML that callsync answers with when Vapi cannot take a call."""

from twilio.twiml.voice_response import VoiceResponse


def fallback(*, message: str, dial_number: str = "", voicemail_message: str = "", recording_callback_url: str = "") -> str:
    """Say a short message, then dial a human; with no number, record a voicemail."""
    response = VoiceResponse()
    if dial_number:
        response.say(message)
        response.dial(dial_number)
    else:
        response.say(voicemail_message or message)
        record = {"max_length": 120, "play_beep": True}
        if recording_callback_url:
            record["recording_status_callback"] = recording_callback_url
            record["recording_status_callback_event"] = "completed"
        response.record(**record)
    return str(response)


def empty() -> str:
    return str(VoiceResponse())
