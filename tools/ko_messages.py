"""Korean for the msgids that are not in the code as literals (enum values, composed messages).

`make messages` merges these with what pybabel extracts into
frontend/locale/ko/LC_MESSAGES/messages.po; edit the .po for everything else.
"""

EXTRA = {
    # organisation kinds, roles, statuses shown with _(value)
    "conglomerate": "대기업",
    "sme": "중소기업",
    "secretariat": "사무국",
    "coordinator": "대기업 담당자",
    "sme_representative": "중소기업 담당자",
    "applied": "가입 신청",
    "active": "활동 중",
    "suspended": "자격 정지",
    "withdrawn": "탈퇴",
    "invited": "초대됨",
    "ended": "종료",
    "pending": "발송 대기",
    "sent": "발송 완료",
    "failed": "발송 실패",
    # messages held in constants or composed at run time
    "Wrong e-mail or password.": "이메일 또는 비밀번호가 올바르지 않습니다.",
    "Too many failed sign-ins. Try again in 15 minutes.": "로그인 실패가 너무 많습니다. 15분 후에 다시 시도하세요.",
    "An organisation with this business registration number already exists.": "이 사업자등록번호로 등록된 기관이 이미 있습니다.",
    "Use at least 10 characters for the password.": "비밀번호는 10자 이상으로 정하세요.",
    "Use at least 10 characters.": "10자 이상 입력하세요.",
    "No such organization.": "해당 기관을 찾을 수 없습니다.",
    "No such invitation.": "초대를 찾을 수 없습니다. 링크를 다시 확인하세요.",
    "No such token.": "해당 토큰을 찾을 수 없습니다.",
    "No such membership.": "회원 정보를 찾을 수 없습니다.",
    "No such record.": "해당 항목을 찾을 수 없습니다.",
    "first must be between 0 and 100.": "한 번에 100건까지 조회할 수 있습니다.",
    "Forbidden": "권한이 없습니다.",
    # CSV headings, sort orders and audit actions
    "English name": "영문명",
    "order_newest": "최근 초대순",
    "order_name": "기업명순",
    "order_business_number": "사업자등록번호순",
    "partnership.invite": "협력사 초대",
    "partnership.reopen": "협력사 재초대",
    "partnership.accept": "협력사 수락",
    "partnership.decline": "협력사 거절",
    "partnership.end": "협력 관계 종료",
    "No such partnership.": "해당 협력 관계를 찾을 수 없습니다.",
    "No such import.": "해당 업로드 내역을 찾을 수 없습니다.",
}
