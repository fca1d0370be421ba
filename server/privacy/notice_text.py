"""The first privacy notice, as published with the feature (version 1); the migration seeds it.

Later versions are published by the secretariat (`notice.publish_notice`) and kept beside this one.
"""

FIRST_VERSION = 1

TEXT_KO = """중소기업 기술보호 클럽 개인정보 처리방침 (제1판)

1. 수집하는 개인정보 항목
- 계정: 이름, 이메일 주소, 소속 기관과 역할, 비밀번호(복원할 수 없는 형태로 저장)
- 접속 기록: 로그인 세션의 브라우저 종류와 접속 주소, 로그인 시각
- 이용 기록: 세미나 신청·출석, 지원 신청과 결재 내역, 감사 기록(누가 언제 무엇을 바꾸었는지)

2. 수집·이용 목적
클럽 회원 관리, 기술임치·기술지킴서비스 비용 지원 신청의 처리와 정산, 공동 세미나 운영, 안내 메일 발송, 부정 이용 방지.

3. 보유 및 이용 기간
- 탈퇴를 요청하면 사무국 확인 후 계정을 비활성화하고 이름과 이메일을 익명 처리합니다.
- 지원금 정산 기록(신청, 원장, 감사 기록)은 관계 법령에 따른 보존을 위해 남기되, 이름과 이메일 없이 역할과 소속 기관만 남깁니다.
- 발송한 메일의 본문과 접속 기록은 보존 기간이 지나면 자동으로 삭제합니다.

4. 제3자 제공 및 처리 위탁
- 지원 신청 내용은 지원 기업(대기업)의 담당자에게 제공됩니다.
- 카드 결제는 Stripe가 처리하며, 클럽은 카드 번호를 보관하지 않습니다.

5. 정보주체의 권리
누구나 '내 개인정보' 화면에서 클럽이 보유한 자신의 정보를 열람하고 내려받을 수 있으며, 탈퇴(개인정보 삭제)를 요청할 수 있습니다.

6. 문의
개인정보 보호책임자: 클럽 사무국
"""

TEXT_EN = """SME Tech Protection Club privacy notice (version 1)

1. What we collect
- Account: name, e-mail address, organisation and role, password (stored so that it cannot be recovered)
- Access records: browser kind and address of each signed-in session, sign-in times
- Use records: seminar registrations and attendance, claims and their decisions, the audit trail (who changed what, when)

2. Why
Running the club's membership, handling and settling cost-sharing claims for escrow and the tech guard service, running joint seminars, sending notices, preventing misuse.

3. How long
- When you ask to be removed, the secretariat confirms it; your account is then deactivated and your name and e-mail anonymised.
- Records of sponsored money (claims, the ledger, the audit trail) are kept as the law requires, with your role and organisation only, never your name or e-mail.
- Bodies of sent mails and access records are deleted automatically after the retention period.

4. Who else receives it
- A claim's details go to the sponsoring conglomerate's coordinators.
- Card payments are processed by Stripe; the club keeps no card numbers.

5. Your rights
Anyone may see and download what the club holds about them on the "My personal data" page, and ask to be removed.

6. Contact
Privacy officer: the club's secretariat
"""
